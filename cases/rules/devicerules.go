package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect/perm"
	"github.com/appinspect/appinspect/inspect/pi"
)

// Self-start frequency: device.frequent_self_start fires when at least
// SelfStartThreshold timed self-starts fall within any SelfStartWindow.
// Untimed hints (a boot receiver merely registered) are not starts.
const (
	SelfStartThreshold = 3
	SelfStartWindow    = time.Hour
)

func deviceRules() []Rule {
	return []Rule{
		{
			ID: "device.access_before_consent", TitleZH: "征得用户同意前收集个人信息", TitleEN: "Data accessed before consent",
			Severity: cases.SeverityHigh, Category: CategoryDevice,
			Articles:      []string{"rd2019/3.1", "n164/1.1", "pipl/13", "pipl/14"},
			Check:         checkAccessBeforeConsent,
			DescriptionZH: "设备AppOps记录显示，在检查人员标记的用户同意隐私政策时刻之前，App已访问某类个人信息（每类一条）。仅有被系统拒绝的尝试时为中。未标记同意时刻时不运行。",
			DescriptionEN: "The device's AppOps records show the app accessed a kind of personal information before the consent moment the inspector marked (one candidate per kind). Medium when every attempt was rejected. Silent until the consent moment is marked.",
		},
		{
			ID: "device.permission_before_consent", TitleZH: "征得用户同意前申请或打开权限", TitleEN: "Permission granted before consent",
			Severity: cases.SeverityHigh, Category: CategoryDevice,
			Articles:      []string{"rd2019/3.1", "pipl/13"},
			Check:         checkPermissionBeforeConsent,
			DescriptionZH: "在用户同意隐私政策之前，可收集个人信息的权限已被授予（每项权限一条）。",
			DescriptionEN: "A permission that can collect personal information was granted before the user agreed to the privacy policy (one candidate per permission).",
		},
		{
			ID: "device.frequent_self_start", TitleZH: "频繁自启动或关联启动", TitleEN: "Frequent self-start",
			Severity: cases.SeverityMedium, Category: CategoryDevice,
			Articles:      []string{"n164/2.2", "n26/6"},
			Check:         checkSelfStart,
			DescriptionZH: fmt.Sprintf("设备记录显示App在%v内自启动或关联启动至少%d次；其中有发生在用户同意前的为高。", durationZH(SelfStartWindow), SelfStartThreshold),
			DescriptionEN: fmt.Sprintf("Device records show at least %d self-starts or associated starts within %v; high when some happened before consent.", SelfStartThreshold, durationEN(SelfStartWindow)),
		},
	}
}

func opEvidence(op DeviceOp, c pi.Category) Evidence {
	d := catEN(c)
	if op.Rejected {
		d += ", rejected"
	}
	if op.Foreground != nil {
		if *op.Foreground {
			d += ", foreground"
		} else {
			d += ", background"
		}
	}
	name := opName(op.Op)
	return Evidence{Key: "device:op:" + name + "@" + timeKey(op.Time), Kind: "device_op", Ref: name, Detail: d, Time: timePtr(op.Time)}
}

func checkAccessBeforeConsent(f *Facts) []Candidate {
	d := f.Device
	if d == nil || d.ConsentAt.IsZero() {
		return nil
	}
	type grp struct {
		ev         []Evidence
		accepted   bool
		background bool
		ops        []string
	}
	groups := map[pi.Category]*grp{}
	for _, op := range d.Ops {
		if op.Time.IsZero() || !op.Time.Before(d.ConsentAt) {
			continue
		}
		c := op.Category
		if c == "" {
			c = OpCategory(op.Op)
		}
		if c == "" {
			continue
		}
		g, ok := groups[c]
		if !ok {
			g = &grp{}
			groups[c] = g
		}
		g.ev = append(g.ev, opEvidence(op, c))
		g.ops = append(g.ops, opName(op.Op))
		if !op.Rejected {
			g.accepted = true
		}
		if op.Foreground != nil && !*op.Foreground {
			g.background = true
		}
	}
	cats := make([]pi.Category, 0, len(groups))
	for c := range groups {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i] < cats[j] })
	consent := Evidence{Key: "device:consent@" + timeKey(d.ConsentAt), Kind: "device_consent", Detail: "consent moment marked by the inspector", Time: timePtr(d.ConsentAt)}
	var out []Candidate
	for _, c := range cats {
		g := groups[c]
		ops := strings.Join(uniqueSorted(g.ops), ", ")
		cand := Candidate{Evidence: append(g.ev, consent)}
		cand.ExplanationZH = fmt.Sprintf("在用户同意隐私政策（%s）之前，App已访问%s（%s）。", f.timeZH(d.ConsentAt), catZH(c), ops)
		cand.ExplanationEN = fmt.Sprintf("Before the user agreed to the privacy policy (%s), the app accessed %s (%s).", f.timeEN(d.ConsentAt), catEN(c), ops)
		if g.background {
			cand.ExplanationZH += "部分访问发生在后台。"
			cand.ExplanationEN += " Some accesses happened in the background."
		}
		if !g.accepted {
			cand.Severity = cases.SeverityMedium
			cand.ExplanationZH += "这些访问均被系统拒绝，但表明App在同意前已尝试收集。"
			cand.ExplanationEN += " Every attempt was rejected by the system, but the app tried to collect before consent."
		}
		out = append(out, cand)
	}
	return out
}

func checkPermissionBeforeConsent(f *Facts) []Candidate {
	d := f.Device
	if d == nil || d.ConsentAt.IsZero() {
		return nil
	}
	first := map[string]PermissionEvent{}
	for _, e := range d.PermissionGrants {
		if !e.Granted || e.Time.IsZero() || !e.Time.Before(d.ConsentAt) {
			continue
		}
		if info, ok := perm.Lookup(e.Permission); ok && len(info.Categories) == 0 {
			continue // reads no personal information (INTERNET, POST_NOTIFICATIONS …)
		}
		if p, ok := first[e.Permission]; !ok || e.Time.Before(p.Time) {
			first[e.Permission] = e
		}
	}
	names := make([]string, 0, len(first))
	for n := range first {
		names = append(names, n)
	}
	sort.Strings(names)
	consent := Evidence{Key: "device:consent@" + timeKey(d.ConsentAt), Kind: "device_consent", Detail: "consent moment marked by the inspector", Time: timePtr(d.ConsentAt)}
	var out []Candidate
	for _, n := range names {
		e := first[n]
		info := perm.Describe(n)
		cats := sortedCats(info.Categories)
		det := "granted"
		if len(cats) > 0 {
			det += " [" + catsEN(cats) + "]"
		}
		c := Candidate{
			Evidence: []Evidence{{Key: "device:permission:" + n + "@" + timeKey(e.Time), Kind: "device_permission", Ref: n, Detail: det, Time: timePtr(e.Time)}, consent},
		}
		what, whatEN := "", ""
		if len(cats) > 0 {
			what, whatEN = "（可收集"+catsZH(cats)+"）", " (gives access to "+catsEN(cats)+")"
		}
		c.ExplanationZH = fmt.Sprintf("权限%s%s在%s已被授予，早于用户同意隐私政策的时刻%s。", n, what, f.timeZH(e.Time), f.timeZH(d.ConsentAt))
		c.ExplanationEN = fmt.Sprintf("%s%s was granted at %s, before the user agreed to the privacy policy at %s.", n, whatEN, f.timeEN(e.Time), f.timeEN(d.ConsentAt))
		if f.Scan.TargetSDK > 0 && f.Scan.TargetSDK < 23 {
			c.ExplanationZH += "（targetSdk低于23，安装时即授予。）"
			c.ExplanationEN += " (targetSdk below 23: granted at install.)"
		}
		out = append(out, c)
	}
	return out
}

func checkSelfStart(f *Facts) []Candidate {
	d := f.Device
	if d == nil {
		return nil
	}
	var ss []SelfStart
	for _, s := range d.SelfStarts {
		if !s.Time.IsZero() {
			ss = append(ss, s)
		}
	}
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].Time.Before(ss[j].Time) })
	best, bi := 0, 0
	for i, j := 0, 0; j < len(ss); j++ {
		for ss[j].Time.Sub(ss[i].Time) > SelfStartWindow {
			i++
		}
		if n := j - i + 1; n > best {
			best, bi = n, i
		}
	}
	if best < SelfStartThreshold {
		return nil
	}
	var ev []Evidence
	before := 0
	reasons := map[string]int{}
	for _, s := range ss {
		r := s.Reason
		if r == "" {
			r = "unknown"
		}
		reasons[r]++
		if !d.ConsentAt.IsZero() && s.Time.Before(d.ConsentAt) {
			before++
		}
		ev = append(ev, Evidence{Key: "device:selfstart:" + r + "@" + timeKey(s.Time), Kind: "device_self_start", Ref: r, Time: timePtr(s.Time)})
	}
	var rs, rsEN []string
	for r, n := range reasons {
		rs = append(rs, fmt.Sprintf("%s×%d", selfStartReason(r, true), n))
		rsEN = append(rsEN, fmt.Sprintf("%s×%d", selfStartReason(r, false), n))
	}
	sort.Strings(rs)
	sort.Strings(rsEN)
	c := Candidate{Evidence: ev}
	c.ExplanationZH = fmt.Sprintf("设备记录到%d次自启动或关联启动（%s），其中%d次发生在%s起的%v内。", len(ss), strings.Join(rs, "，"), best, f.timeZH(ss[bi].Time), durationZH(SelfStartWindow))
	c.ExplanationEN = fmt.Sprintf("The device recorded %d self-start(s) or associated start(s) (%s), %d of them within %v from %s.", len(ss), strings.Join(rsEN, ", "), best, durationEN(SelfStartWindow), f.timeEN(ss[bi].Time))
	if before > 0 {
		c.Severity = cases.SeverityHigh
		c.ExplanationZH += fmt.Sprintf("%d次发生在用户同意隐私政策之前。", before)
		c.ExplanationEN += fmt.Sprintf(" %d happened before the user agreed to the privacy policy.", before)
	}
	return []Candidate{c}
}

// selfStartKinds name the self-start kinds the device evidence records
// (inspect/device SelfStart* constants, and the older rule inputs).
var selfStartKinds = map[string][2]string{
	"boot_receiver":          {"开机等唤醒广播接收器", "wake-up broadcast receiver"},
	"running_process":        {"进程运行中", "running process"},
	"running_service":        {"服务运行中", "running service"},
	"scheduled_job":          {"定时任务", "scheduled job"},
	"background_op":          {"后台操作", "background operation"},
	"battery_exempt":         {"电池优化白名单", "battery-optimisation exemption"},
	"fg_service_before_open": {"打开前启动前台服务", "foreground service before opening"},
	"associated_start":       {"关联启动", "associated start"},
	"unknown":                {"原因未记录", "reason not recorded"},
}

// selfStartReason names a self-start reason ("kind" or "kind: detail")
// for a reader: the kind in words, the detail kept as evidence.
func selfStartReason(r string, zh bool) string {
	kind, detail, _ := strings.Cut(r, ": ")
	l, ok := selfStartKinds[kind]
	if !ok {
		return r
	}
	name := l[1]
	if zh {
		name = l[0]
	}
	if detail != "" {
		if zh {
			return name + "（" + detail + "）"
		}
		return name + " (" + detail + ")"
	}
	return name
}
