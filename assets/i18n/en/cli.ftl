## The command line: output and errors.

cli-error = error: { $message }
cli-bad-lang = expected a language: en (English) or zh (简体中文)
