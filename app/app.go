// Package app holds the use cases AppInspect offers — scan, inspect a policy,
// check, manage cases, export documents — shared by the command line
// (package app/cli) and the GUI. A Service is opened with a plain Config.
// It imports no Fyne and nothing of its front ends.
package app

// ID is the application ID; it must equal [Details] ID in FyneApp.toml.
const ID = "io.github.appinspect.appinspect"

// Name is the application's display name.
const Name = "AppInspect"

// Version is the release version; it must equal [Details] Version in
// FyneApp.toml.
const Version = "0.1.0"
