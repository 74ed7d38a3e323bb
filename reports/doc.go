// Package reports renders the documents an inspector hands to a company: the
// rectification notice (整改通知书) and its agency and association variants
// (检测报告, 自律审查意见), the full inspection report, and the XLSX export of
// findings and marks that Chinese agencies exchange.
//
// Every document is written to an io.Writer from an input struct built by the
// caller (the app layer assembles it from the case store; tests build it in
// Go). Output is deterministic for a fixed NoticeInput.Now / ReportInput.Now:
// PDF creation dates, catalog order, image names and table order never depend
// on the wall clock or on map order.
//
// PDFs are A4, in Chinese or English, with the bundled LXGW WenKai font
// embedded as a subset so CJK text renders in any reader. Text is laid out by
// this package's own line breaker (see breakLines), because fpdf's MultiCell
// drops the character at a CJK line wrap. Legal text is never written here:
// article quotes come only from the law.Citation the caller passes, and a gap
// citation is shown with its gap sentence, marked as such.
package reports
