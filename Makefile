# Convenience targets; the README's quick start uses scripts/ directly so a
# fresh machine needs neither make nor anything else installed first.
TAGS := migrated_fynedo
GO   ?= go

.PHONY: run test build nogui depcheck bench fuzz windows package screenshots clean

run:        ; bash scripts/run.sh
test:       ; bash scripts/test.sh
build:      ; $(GO) build -tags $(TAGS) -o bin/appinspect .
nogui:      ; CGO_ENABLED=0 $(GO) build -tags nogui -o bin/appinspect-cli .
depcheck:   ; bash scripts/depcheck.sh
bench:      ; bash bench/run.sh
fuzz:       ; bash scripts/fuzz.sh $(FUZZTIME)
windows:    ; bash scripts/windows.sh
package:    ; bash scripts/package.sh
screenshots:; bash scripts/screenshots.sh
clean:      ; rm -rf bin dist
