# Team books on PostgreSQL: what the store says.
team-backup-is-json = a team book on PostgreSQL is backed up by its server (pg_dump, replication) or as a JSON backup: dossier export --format json --output book.json
team-not-yet = { $url } is a team book on PostgreSQL; dossier { $command } does not work on a team book yet — copy it down to a file to do that: dossier copy --from { $url } --to book.db
