package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// Transition moves a case to status to, on the date at (the day of the act: notice issued,
// rectification reported …), and records an event with the actor and note. Entering
// notice_issued sets the notice date and the deadline (N working days after it, N = the case's
// rectification days); entering removal sets the end of the 40-working-day re-release ban;
// entering closed sets the closing date. Errors: cases.ErrNotFound, cases.ErrInvalidTransition
// (a *cases.TransitionError naming from and to), cases.ErrInvalid (empty actor or zero date).
func (db *DB) Transition(ctx context.Context, caseID int64, to cases.Status, actor, note string, at time.Time) (cases.Event, error) {
	if strings.TrimSpace(actor) == "" || at.IsZero() {
		return cases.Event{}, fmt.Errorf("cases/sqlite: transition case %d: actor and date are required: %w", caseID, cases.ErrInvalid)
	}
	ev := cases.Event{CaseID: caseID, To: to, At: cases.CivilDate(at), Actor: actor, Note: note}
	err := db.write(ctx, func(tx *sql.Tx) error {
		var days, est int
		err := tx.QueryRowContext(ctx, `SELECT status, rectification_days, dates_estimated FROM cases WHERE id=?`, caseID).Scan(&ev.From, &days, &est)
		if isNoRows(err) {
			return notFound("case", caseID)
		}
		if err != nil {
			return err
		}
		if err := cases.CheckTransition(ev.From, to); err != nil {
			return err
		}
		now := db.Now()
		ev.Created = now
		day := ev.At
		sets := []string{"status=?", "updated=?"}
		args := []any{string(to), ts(now)}
		estimated := est != 0
		switch to {
		case cases.StatusNoticeIssued:
			cal := db.Calendar()
			deadline := cal.AddWorkingDays(day, days)
			estimated = !cal.CoversRange(day, deadline)
			sets = append(sets, "notice_issued=?", "deadline=?")
			args = append(args, date(day), date(deadline))
		case cases.StatusRemoval:
			cal := db.Calendar()
			until := cal.AddWorkingDays(day, cases.RereleaseBanWorkingDays)
			estimated = estimated || !cal.CoversRange(day, until)
			sets = append(sets, "rerelease_until=?")
			args = append(args, date(until))
		case cases.StatusClosed:
			sets = append(sets, "closed=?")
			args = append(args, date(day))
		}
		sets = append(sets, "dates_estimated=?")
		args = append(args, boolInt(estimated), caseID)
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET `+strings.Join(sets, ", ")+` WHERE id=?`, args...); err != nil {
			return err
		}
		if ev.ID, err = insertEvent(ctx, tx, ev); err != nil {
			return err
		}
		details := map[string]string{"from": string(ev.From), "to": string(to), "at": date(day)}
		if err := db.audit(ctx, tx, actor, "transition", "case", caseID, details); err != nil {
			return err
		}
		return db.audit(ctx, tx, actor, "create", "event", ev.ID, nil)
	})
	if err != nil {
		return cases.Event{}, fmt.Errorf("cases/sqlite: transition case %d to %s: %w", caseID, to, err)
	}
	return ev, nil
}

func insertEvent(ctx context.Context, tx *sql.Tx, ev cases.Event) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO case_events(case_id, from_status, to_status, at, actor, note, created) VALUES(?,?,?,?,?,?,?)`,
		ev.CaseID, ev.From, ev.To, date(ev.At), ev.Actor, ev.Note, ts(ev.Created))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Events returns the workflow events of a case in order.
func (db *DB) Events(ctx context.Context, caseID int64) ([]cases.Event, error) {
	out, err := queryEvents(ctx, db.r, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: events of case %d: %w", caseID, err)
	}
	return out, nil
}

func queryEvents(ctx context.Context, q queryer, caseID int64) ([]cases.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, case_id, from_status, to_status, at, actor, note, created FROM case_events WHERE case_id=? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []cases.Event
	for rows.Next() {
		var e cases.Event
		var at, created string
		if err := rows.Scan(&e.ID, &e.CaseID, &e.From, &e.To, &at, &e.Actor, &e.Note, &created); err != nil {
			return nil, err
		}
		e.At, e.Created = parseDate(at), parseTS(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

func sortCasesByDeadline(cs []cases.Case) {
	sort.SliceStable(cs, func(i, j int) bool {
		if !cs[i].Deadline.Equal(cs[j].Deadline) {
			return cs[i].Deadline.Before(cs[j].Deadline)
		}
		return cs[i].ID < cs[j].ID
	})
}
