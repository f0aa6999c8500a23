## 命令行：输出与错误。

cli-error = 错误：{ $message }
cli-bad-lang = 请指定语言：en（English）或 zh（简体中文）
