## Words shared by every part of dossier: reasons, subjects, dates.

## Reasons for tags (the sentences themselves are in rules.toml).
reason-none = none
reason-limit-floor = { $floor } is the mark while the book is too small for percentiles
reason-limit-top = the top { $percent } % of the book starts at { $cut }
reason-limit-not-computed = the book's p{ $percentile } is not computed yet
reason-default = { $value }: no rule matched, so the default applies
reason-from-field = Taken from the { $subject }'s { $field }
reason-always = { $value } always
reason-and = { " " }and{ " " }
reason-because = { $value } because { $conditions }

subject-customer = customer
subject-opportunity = opportunity
subject-product = product
subject-campaign = campaign

## Dates as typed.
date-required = is required — use YYYY-MM-DD, today, tomorrow or +3d
date-invalid = '{ $input }' is not a date — use YYYY-MM-DD, today, tomorrow, +3d, +2w or a weekday like mon
date-out-of-range = '{ $input }' is out of range — dates run from 0001-01-01 to 9999-12-31
date-follow-up-missing = type the follow-up date after @ — @fri, @+2w or @2026-12-04
