# PostgreSQL 团队账本：存储层的提示。
team-backup-is-json = PostgreSQL 上的团队账本由服务器备份（pg_dump、复制），或导出为 JSON 备份：dossier export --format json --output book.json
team-not-yet = { $url } 是 PostgreSQL 上的团队账本；dossier { $command } 暂不支持团队账本——可先复制到文件再操作：dossier copy --from { $url } --to book.db
