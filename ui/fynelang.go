package ui

import (
	"encoding/json"

	"fyne.io/fyne/v2/lang"
)

// Fyne's own texts (the OK of an information dialog, an entry's Cut / Copy
// / Paste menu, weekday names) follow the system locale through fyne/lang,
// and Fyne carries no Chinese. The UI language is chosen in Settings, so
// these texts are registered in that language under the system's locale
// tag each time the language changes: Fyne then speaks the UI language.
var fyneTexts = map[string]map[string]any{
	"zh": {
		"Advanced": "高级", "Cancel": "取消", "Confirm": "确认", "Copy": "复制", "Create Folder": "新建文件夹",
		"Cut": "剪切", "Enter filename": "输入文件名", "Error": "错误", "Favourites": "收藏", "File": "文件",
		"Folder": "文件夹", "New Folder": "新建文件夹", "No": "否", "OK": "确定", "Open": "打开", "Paste": "粘贴",
		"Quit": "退出", "Redo": "重做", "Save": "保存", "Select all": "全选", "Show Hidden Files": "显示隐藏文件",
		"Undo": "撤销", "Yes": "是",
		"file.name": map[string]string{"other": "名称"}, "file.parent": map[string]string{"other": "上一级"},
		"monday": "星期一", "monday.short": "一", "tuesday": "星期二", "tuesday.short": "二",
		"wednesday": "星期三", "wednesday.short": "三", "thursday": "星期四", "thursday.short": "四",
		"friday": "星期五", "friday.short": "五", "saturday": "星期六", "saturday.short": "六",
		"sunday": "星期日", "sunday.short": "日",
	},
	"en": {
		"Advanced": "Advanced", "Cancel": "Cancel", "Confirm": "Confirm", "Copy": "Copy", "Create Folder": "Create Folder",
		"Cut": "Cut", "Enter filename": "Enter filename", "Error": "Error", "Favourites": "Favourites", "File": "File",
		"Folder": "Folder", "New Folder": "New Folder", "No": "No", "OK": "OK", "Open": "Open", "Paste": "Paste",
		"Quit": "Quit", "Redo": "Redo", "Save": "Save", "Select all": "Select all", "Show Hidden Files": "Show Hidden Files",
		"Undo": "Undo", "Yes": "Yes",
		"file.name": map[string]string{"other": "Name"}, "file.parent": map[string]string{"other": "Parent"},
		"monday": "Monday", "monday.short": "Mon", "tuesday": "Tuesday", "tuesday.short": "Tue",
		"wednesday": "Wednesday", "wednesday.short": "Wed", "thursday": "Thursday", "thursday.short": "Thu",
		"friday": "Friday", "friday.short": "Fri", "saturday": "Saturday", "saturday.short": "Sat",
		"sunday": "Sunday", "sunday.short": "Sun",
	},
}

// setFyneLanguage makes Fyne's own texts speak l ("zh" or "en").
func setFyneLanguage(l string) {
	m, ok := fyneTexts[l]
	if !ok {
		return
	}
	b, err := json.Marshal(m)
	if err != nil {
		return
	}
	_ = lang.AddTranslationsForLocale(b, lang.SystemLocale())
}
