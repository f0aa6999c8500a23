## The command line: output and errors.

cli-error = error: { $message }
cli-bad-lang = expected a language: en (English) or zh (简体中文)
cli-not-saved = not saved — { $problems }
cli-verb-added = added
cli-verb-saved = saved
cli-saved = { $verb } { $kind } { $id }: { $label } (version { $version })
cli-tag-change = tag { $kind } { $dimension }: { $old } → { $new }
cli-follow-up-answered = follow-up due { $due } (set on activity { $activity }) closed: this contact answers it
cli-deleted = { $kind } { $id } moved to the trash — undo with: { $cmd }
cli-restored = { $kind } { $id } restored
cli-deleted-at = deleted { $at }
cli-trash-emptied = { $count ->
    [one] 1 record deleted for good
   *[other] { $count } records deleted for good
}
cli-emptying-trash = emptying the trash
cli-list-more = (more: { $cmd })
cli-demo-loaded = Demo book loaded: { $customers } customers, { $opportunities } opportunities, { $products } products, { $activities } activities
cli-demo-loaded-into = demo book loaded into { $path }: { $summary }
cli-backup-written = backup of { $book } written to { $target } and checked
cli-generated = generated { $customers } customers, { $opportunities } opportunities, { $activities } activities, { $products } products in { $seconds } s into { $path }
cli-customer-ref = customer { $id }

## show and why.
cli-heading-tags = Tags
cli-heading-facts = Facts today
cli-heading-history = History
cli-heading-deals = Deals
cli-heading-timeline = Timeline
cli-field-lines = Lines
cli-line-item = product { $product } × { $quantity } @ { $price } = { $total }
cli-version-line = version { $version }, created { $created }, updated { $updated }
cli-owned-by = owned by { $owner }
cli-owner-needs-team = --mine and --owner need a team book (PostgreSQL, set up with dossier team init); a local book has no owners
cli-in-trash-since = , in the trash since { $at }
cli-why-no-tags = No tags.
cli-why-no-tags-touch = No tags (touches carry none; campaigns do).
md-field = Field
md-value = Value
md-deal-title = Title
md-deal-stage = Stage
md-deal-amount = Amount
md-deal-close = Close date

## classify and tag filters.
cli-rules-refused = warning: { $problem } — your rules file was not used; the built-in rules are in force
cli-rule-file-refused = { $problem } — the rule file was refused
cli-rules-needs-dry-run = --rules tries a file without applying it, so it needs --dry-run; to apply it, copy it to { $path }
cli-classifying-large = (classifying the book for today: { $customers } customers — a first classification of a large book takes a while)
cli-reclassified = { $count ->
    [one] (re-classified the book for today: 1 record changed tags)
   *[other] (re-classified the book for today: { $count } records changed tags)
}
cli-classified = classified { $counted } in { $seconds } s
cli-classify-skipped = left { $counted } as they were: nothing they depend on changed since the last sweep
cli-classify-changed = { $count ->
    [one] 1 record changed tags
   *[other] { $count } records changed tags
}
cli-classify-would-change = { $count ->
    [one] 1 record would change tags
   *[other] { $count } records would change tags
}
cli-col-record = record
cli-col-tag = tag
cli-col-gain = gain
cli-col-lose = lose
cli-dry-run-nothing-written = (dry run: nothing was written)
cli-bad-tag-filter = --tag '{ $filter }' is not DIMENSION=VALUE (e.g. value=high or 价值:高)

## search.
cli-search-empty = nothing to search for — give words and/or filters, e.g. dossier search 'city:上海 zhang'
cli-search-no-matches = no matches for '{ $query }'

## doctor.
cli-doctor-ok = ok
cli-doctor-fail = FAIL
cli-doctor-note = note
cli-doctor-problems = problems found — take a copy with `dossier backup PATH` before changing anything

## Errors of the book.
err-not-found = { $kind } { $id } not found
err-in-trash = { $kind } { $id } is in the trash — restore it first ({ $cmd })
err-conflict = { $kind } { $id } was changed elsewhere (you read version { $expected }, it is now at version { $found }) — reload it and make your change again
err-newer-schema = the database { $path } was written by a newer dossier (schema version { $found }, this build knows up to { $supported }) — upgrade dossier to open it
err-disk-full = the disk is full — nothing was saved by this change, and everything saved before is intact; free some space and try again
err-busy = the book is busy (another dossier, or the daily tag refresh, is writing) — nothing was saved by this change; try again in a moment
err-connection-lost = the connection to the team book was lost — nothing was saved by this action; dossier connects again on your next one, so try again
err-connection-lost-committing = the connection to the team book was lost while the change was being committed — it may or may not have been saved; look at the record before trying again
err-server-url = { $url } is not a PostgreSQL connection URL: { $error }
err-server-unreachable = cannot open the team book { $url }: { $error } — check that the server is running and reachable, and the user name and password
err-server = team book: { $message }
cli-kind-not-saved = { $kind } not saved — { $problems }
cli-record-not-saved = { $kind } { $id } not saved — { $problems }

## export, duplicates, merge.
cli-export-disk-full = the disk is full — { $path } was not written (no partial file was left) and the book is unchanged; free some space and try again
cli-not-exported = not exported — { $error }
cli-no-duplicates = no likely duplicates
cli-duplicates-found = { $count ->
    [one] 1 likely duplicate pair — merge it with: dossier merge KEEP DUPLICATE
   *[other] { $count } likely duplicate pairs, { $shown } shown — merge one with: dossier merge KEEP DUPLICATE
}
cli-not-merged = not merged — { $error }
cli-merged = merged customer { $duplicate } into { $keep } ({ $deals } deal(s), { $activities } activit(ies) moved; { $duplicate } is in the trash) — undo with: dossier unmerge { $merge }
cli-no-merge-to-undo = there is no merge to undo
cli-not-undone = not undone — { $error }
cli-unmerged = merge { $merge } undone: customers { $kept } and { $merged } are separate again
cli-exported = { $count ->
    [one] exported 1 record{ $to }
   *[other] exported { $count } records{ $to }
}
cli-exported-to = { " " }to { $path }
cli-labels-csv-only = --labels is for --format csv: vCard and JSON keep their own field names
cli-list-separator = { ", " }
cli-problem-separator = { "; " }

## search: the field a hit matched in.
search-field-name = name
search-field-company = company
search-field-customer = customer
search-field-title = title
search-field-phone = phone
search-field-email = email
search-field-city = city
search-field-tags = tags
search-field-details = details
search-field-notes = notes
search-field-summary = summary

## import: the report.
import-read-as = read as { $encoding } (if the text looks wrong, name the encoding with --encoding)
import-columns-ignored = columns not imported: { $columns } (map them with --map 'COLUMN=FIELD')
import-would-create = line { $line }: would create { $label }
import-would-update = line { $line }: would update { $label }
import-would-update-id = line { $line }: would update { $label } (customer { $id })
import-not-restored = not restored — { $reason }
import-rejected = line { $line }: rejected — { $reason }
import-more-rejected = … and { $count } more rejected rows (--json lists them all)
import-vcard-kept = vCard properties kept but not shown: { $names } (stored with each customer as a custom field 'vcard NAME'; a vCard export gives them back)
import-warning = line { $line }: warning — { $message }
import-more-warnings = … and { $count } more warnings (--json lists them all)
import-summary = created { $created }, updated { $updated }, unchanged { $unchanged }, rejected { $rejected }, warnings { $warnings }
import-dry-run = dry run — would have { $counts }
import-blank = { " " }({ $count } blank rows skipped)
import-took = { $summary } in { $seconds } s
import-swept = classified the whole book in one sweep in { $seconds } s
import-deferred = classification deferred: the next start of dossier (or dossier classify) tags the imported customers

## agenda and done.
agenda-occasions = Birthdays and anniversaries in the next { $days } days:
agenda-today = today
agenda-tomorrow = tomorrow
agenda-in-days = in { $count } days
agenda-birthday = birthday
agenda-anniversary = anniversary
agenda-none = No follow-ups due today ({ $today }).
agenda-due = { $count ->
    [one] { $count } follow-up due by today ({ $today })
   *[other] { $count } follow-ups due by today ({ $today })
}
agenda-overdue = , { $count } overdue
agenda-days-late = { $count ->
    [one] { $count } day late
   *[other] { $count } days late
}
agenda-done-hint = done: dossier done { $id }
agenda-more = … and { $count } more: dossier agenda --json lists them all
done-customer-id = customer { $id }
done-marked = follow-up due { $due } with { $who } (activity { $id }) marked done
done-tag = tag { $kind } { $change }
agenda-ics-needs-file = --ics needs a file: -o FILE
agenda-output-needs-ics = -o FILE goes with --ics
agenda-ics-written = { $reminders ->
    [one] { $reminders } open follow-up reminder
   *[other] { $reminders } open follow-up reminders
} and { $occasions ->
    [one] { $occasions } birthday or anniversary
   *[other] { $occasions } birthdays or anniversaries
} written to { $path } — import it into your calendar app
file-not-written = not written — { $error }
file-cannot-write = cannot write { $path }: { $error }
arg-record-id = expected a record id: a whole number such as 12, as shown by `dossier list`
arg-version = expected a version: a whole number from 1, as shown by `dossier show --json`
panic-with-log = dossier stopped because of a bug: { $message } ({ $place })
    The log is at { $log } — please attach it to a bug report. Your saved data is safe.
panic-no-log = dossier stopped because of a bug: { $message } ({ $place })
    Your saved data is safe.
import-kept-in-custom = { $field }: { $problem } — kept in custom field '{ $key }'
import-no-header-read = cannot read the header line: { $error }
import-empty-file = the file is empty or has no header line
import-unreadable-row = unreadable row: { $error }
import-vcard-customers-only = a vCard file holds customers — drop --kind
import-no-vcard = no BEGIN:VCARD found — is this a vCard file?
export-vcard-customers-only = vCard holds customers only — use csv or json for other kinds
export-shape-customers-only = --shape google/outlook holds customers only — drop --kind or --shape
restore-cannot-read = cannot read the backup: { $error }
restore-not-a-backup = this JSON is not a dossier backup (no "format": "dossier-backup") — export one with dossier export --format json
restore-missing-link = { $from } links to { $kind } { $id }, which is not in the backup

# Domain and import messages
err-not-one-of = '{ $value }' is not a valid { $what } — expected one of: { $expected }
type-activity-kind = activity kind
type-campaign-channel = campaign channel
type-channel = channel
type-customer-kind = customer kind
type-goal = goal
type-region = region
type-sentiment = sentiment
type-stage = stage
err-link-missing = { $kind } { $id } does not exist
err-link-in-trash = { $kind } { $id } is in the trash — restore it or pick another
import-bad-phone-kept = phone '{ $value }' is not a phone number (digits, spaces, + - ( ) and an extension) — kept in custom field '{ $key }'
import-bad-email-kept = email '{ $value }' is not an email address (expected name@example.com) — kept in custom field '{ $key }'
import-control-chars-removed = { $field } '{ $value }' had control characters — removed
import-too-long-kept = { $field } is { $length } characters long (at most { $most }) — shortened, the whole value kept in custom field '{ $key }'
follow-up-none-open = activity { $id } has no follow-up to mark done — `dossier agenda` lists the open ones
follow-up-already-closed = the follow-up of activity { $id } was already closed on { $on }
item-pick-product = line { $line }: pick a product
item-quantity-min = line { $line }: quantity must be at least 1
item-quantity-max = line { $line }: quantity { $quantity } is too large — at most { $most }
item-unit-price = line { $line }: unit price { $problem }
money-negative = { $amount } is negative — amounts cannot be below zero
money-too-large = { $amount } is too large — at most { $most }
merge-into-itself = a customer cannot be merged into itself
merge-none = there is no merge { $id }
merge-damaged = merge { $id } is damaged: { $error }
merge-changed-since = customer { $id } was changed after the merge (version { $current }, the merge left version { $after }) — undoing it would lose that change
dup-same-email = same email { $email }
dup-same-phone = same phone { $phone }
dup-same-name-no-company = same name, no company to tell them apart
dup-same-name-one-company = same name, one without a company
dup-similar-name-company = similar name and company
import-shared-email = shares an email with customer { $id } but has another name — kept as a separate customer (see dossier duplicates)
import-same-name-only = same name as customer { $id } and nothing else to tell them apart — created as a new customer (see dossier duplicates)
import-shared-phone = shares phone { $phone } with customer { $id } — created as a new customer: a shared phone alone does not make them one person (see dossier duplicates)
import-same-name-nothing-shared = same name as customer { $id } but no shared email, phone or company — created as a new customer (see dossier duplicates)
restore-bad-id = { $who }: the id must be a whole number from 1
restore-id-twice = { $who }: the id appears twice
restore-bad-version = { $who }: version { $version } — versions count from 1
restore-bad-uuid = { $who }: uuid '{ $uuid }' is not a UUID (8-4-4-4-12 hex digits)
restore-uuid-twice = { $who }: uuid { $uuid } appears twice
restore-not-a-campaign = { $from } names campaign { $id }, which is not a campaign in the backup
restore-tag-who = tag { $tag } of { $kind } { $id }
restore-tag-unknown-kind = { $who }: unknown record kind
restore-tag-no-record = { $who }: the record is not in the backup
restore-tag-no-dimension = { $who }: the rules have no dimension '{ $dimension }'
restore-tag-no-value = { $who }: the rules never give '{ $dimension }' the value '{ $value }'
restore-history-unknown-kind = tag history { $id }: unknown record kind '{ $kind }'
problem-field-items = line items
problem-field-follow-up = follow-up
keymap-unknown-key = unknown key '{ $key }'
keymap-unknown-modifier = unknown modifier '{ $modifier }' in key '{ $key }'
config-cannot-read = cannot read { $path }: { $error }
theme-unknown-role = unknown colour role '{ $role }'
team-you-manager = you are { $me }, manager of team { $team }
team-you-rep = you are { $me }, rep of team { $team }
team-you-owner = you are { $me }, the book's owner: row-level security does not apply to you
team-you-nobody = you are { $me }, not a member of any team: you see no records
team-you = you are { $me }
err-not-a-campaign = activity { $id } is a { $kind }, not a campaign
tui-cannot-draw = cannot draw on the terminal: { $error }
rules-setting-kind = setting '{ $key }' must be { $kind }
rules-cannot-read = cannot read it: { $error }
rules-kind-number = a number (like { $example })
rules-kind-text = a text in quotes (like "{ $example }")
rules-kind-list = a list of texts (like ["a", "b"])
rules-unknown-setting-mean = unknown setting '{ $key }' — did you mean { $guess }?
rules-unknown-setting-list = unknown setting '{ $key }' — the settings are: { $known }
rules-dimension-empty = { $dimension } has no rules, no value_from and no default
rules-say-unknown = '{"{"}{ $name }{"}"}' in say is not a { $subject } fact, a setting or limit
rules-unclosed-brace = '{ $text }' has a '{"{"}' without its '{"}"}'
rules-unknown-fact = unknown { $subject } fact '{ $fact }' — known facts: { $known }
rules-unknown-op = unknown op '{ $op }' — use >=, >, <=, <, ==, !=, in, not_in, present or absent
rules-op-takes-nothing = op '{ $op }' takes nothing to compare with
rules-condition-one-of = condition on '{ $fact }' needs exactly one of value, values, setting or percentile
rules-percentile-range = percentile { $percentile } is not between 1 and 99
rules-setting-missing = unknown setting '{ $key }' — add it under [settings]
rules-value-kind = value must be a number or a text
rules-op-text = '{ $fact }' is a text: op '{ $op }' cannot compare it with what is given (numbers take >=, >, <=, <, ==, != with a number, setting or percentile; texts take == or != with a text, in or not_in with a list)
rules-op-number = '{ $fact }' is a number: op '{ $op }' cannot compare it with what is given (numbers take >=, >, <=, <, ==, != with a number, setting or percentile; texts take == or != with a text, in or not_in with a list)
rules-floor-percentile = floor goes with a percentile
rules-setting-not-number = setting '{ $key }' is not a number
