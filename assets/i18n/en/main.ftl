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

## Record kinds and activity kinds.
kind-customer = customer
kind-opportunity = opportunity
kind-product = product
kind-activity = activity
activity-call = call
activity-visit = visit
activity-meeting = meeting
activity-email = email
activity-note = note
activity-campaign = campaign

## Follow-up reminders.
follow-up-answered = follow-up { $due } answered by #{ $by } on { $on }
follow-up-done = follow-up { $due } done { $on }
follow-up-overdue = follow-up { $due } overdue
follow-up-open = follow-up { $due } open

## doctor: the checks and what they found.
doctor-check-integrity = integrity
doctor-check-links = links between records
doctor-check-orphans = orphan tags
doctor-check-history = tags agree with their history
doctor-check-parts = records agree with their parts
doctor-check-untagged = every record carries the tags the rules give it
doctor-check-rules = tags agree with the rules
doctor-could-not-run = the check could not run: { $error }
doctor-more-untagged = … and { $count } more records without tags
doctor-note-sample = tags were compared with the rules for a random sample of { $sample } records of each kind
doctor-note-no-sweep = tags were not compared with the rules: today's sweep has not run (dossier classify runs it)
doctor-note-not-compared = tags were not compared with the rules: { $error }
doctor-note-trash-tags = { $count ->
    [one] 1 record in the trash keeps its tags, so a restore brings them back
   *[other] { $count } records in the trash keep their tags, so a restore brings them back
}

## Validation: what is wrong with a field, worded for the person who typed it.
valid-too-long = is { $length } characters long — at most { $max } are allowed
valid-control-chars = contains control characters (such as escape codes) — type plain text
valid-currency = '{ $input }' is not a currency code — expected three letters such as CNY, USD or EUR
valid-required = is required
valid-email = '{ $input }' is not an email address — expected name@example.com
valid-phone = '{ $input }' is not a phone number — digits, spaces, + - ( ) and an extension only
