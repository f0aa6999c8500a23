## 命令行：输出与错误。

cli-error = 错误：{ $message }
cli-bad-lang = 请指定语言：en（English）或 zh（简体中文）
cli-not-saved = 未保存 — { $problems }
cli-verb-added = 已新增
cli-verb-saved = 已保存
cli-saved = { $verb }{ $kind } { $id }：{ $label }（版本 { $version }）
cli-tag-change = 标签 { $kind } { $dimension }：{ $old } → { $new }
cli-follow-up-answered = { $due } 到期的跟进（由活动 { $activity } 设置）已关闭：这次联系回应了它
cli-deleted = { $kind } { $id } 已移入回收站 — 撤销：{ $cmd }
cli-restored = { $kind } { $id } 已恢复
cli-deleted-at = 删除于 { $at }
cli-trash-emptied = 已永久删除 { $count } 条记录
cli-emptying-trash = 清空回收站
cli-list-more = （还有更多：{ $cmd }）
cli-demo-loaded = 演示数据已载入：{ $customers } 个客户、{ $opportunities } 个商机、{ $products } 个产品、{ $activities } 条活动
cli-demo-loaded-into = 演示数据已载入 { $path }：{ $summary }
cli-backup-written = { $book } 的备份已写入 { $target } 并通过检查
cli-generated = 已生成 { $customers } 个客户、{ $opportunities } 个商机、{ $activities } 条活动、{ $products } 个产品，用时 { $seconds } 秒，写入 { $path }
cli-customer-ref = 客户 { $id }

## show 与 why。
cli-heading-tags = 标签
cli-heading-facts = 今日事实
cli-heading-history = 历史
cli-heading-deals = 商机
cli-heading-timeline = 时间线
cli-field-lines = 明细
cli-line-item = 产品 { $product } × { $quantity } @ { $price } = { $total }
cli-version-line = 版本 { $version }，创建于 { $created }，更新于 { $updated }
cli-owned-by = 归属：{ $owner }
cli-owner-needs-team = --mine 和 --owner 只用于团队账本（PostgreSQL，已执行 dossier team init）；本地账本的记录没有归属
cli-in-trash-since = ，{ $at } 起在回收站中
cli-why-no-tags = 没有标签。
cli-why-no-tags-touch = 没有标签（接触记录不带标签，市场活动才有）。
md-field = 字段
md-value = 内容
md-deal-title = 标题
md-deal-stage = 阶段
md-deal-amount = 金额
md-deal-close = 成交日期

## classify 与标签筛选。
cli-rules-refused = 警告：{ $problem } — 未使用你的规则文件，当前使用内置规则
cli-rule-file-refused = { $problem } — 规则文件被拒绝
cli-rules-needs-dry-run = --rules 只试用规则文件而不应用，需要与 --dry-run 一起使用；要应用它，请复制到 { $path }
cli-classifying-large = （正在为今天分类：{ $customers } 个客户 — 大库首次分类需要一些时间）
cli-reclassified = （已为今天重新分类：{ $count } 条记录的标签有变化）
cli-classified = 已分类 { $counted }，用时 { $seconds } 秒
cli-classify-skipped = 另有 { $counted } 保持不变：自上次分类以来，它们依赖的数据都没有变化
cli-classify-changed = { $count } 条记录的标签有变化
cli-classify-would-change = 将有 { $count } 条记录的标签变化
cli-col-record = 记录
cli-col-tag = 标签
cli-col-gain = 增加
cli-col-lose = 减少
cli-dry-run-nothing-written = （试运行：未写入任何内容）
cli-bad-tag-filter = --tag “{ $filter }”不是 维度=值 的形式（如 value=high 或 价值:高）

## search。
cli-search-empty = 没有要查找的内容 — 请给出关键词和/或筛选条件，如 dossier search 'city:上海 zhang'
cli-search-no-matches = 没有与“{ $query }”匹配的结果

## doctor。
cli-doctor-ok = 正常
cli-doctor-fail = 异常
cli-doctor-note = 注意
cli-doctor-problems = 发现问题 — 在做任何修改之前，请先用 `dossier backup PATH` 备份

## 数据库错误。
err-not-found = 找不到{ $kind } { $id }
err-in-trash = { $kind } { $id } 在回收站中 — 请先恢复（{ $cmd }）
err-conflict = { $kind } { $id } 已在别处被修改（你读取的是版本 { $expected }，现在是版本 { $found }）— 请重新载入后再修改
err-newer-schema = 数据库 { $path } 由更新版本的 dossier 写入（结构版本 { $found }，本程序最高支持 { $supported }）— 请升级 dossier 后再打开
err-disk-full = 磁盘已满 — 这次修改没有保存任何内容，之前保存的都完好；请腾出空间后重试
err-busy = 数据库正忙（另一个 dossier 或每日标签刷新正在写入）— 这次修改没有保存任何内容；请稍后重试
err-connection-lost = 与团队客户簿的连接断开了 — 这次操作没有保存任何内容；下次操作时 dossier 会重新连接，请重试
err-connection-lost-committing = 提交修改时与团队客户簿的连接断开了 — 修改可能已保存，也可能没有；请先查看该记录再重试
err-server-url = { $url } 不是 PostgreSQL 连接地址：{ $error }
err-server-unreachable = 无法打开团队客户簿 { $url }：{ $error } — 请检查服务器是否在运行、能否连通，以及用户名和密码
err-server = 团队客户簿：{ $message }
cli-kind-not-saved = { $kind }未保存 — { $problems }
cli-record-not-saved = { $kind } { $id } 未保存 — { $problems }

## 导出、查重、合并。
cli-export-disk-full = 磁盘已满 — 未写入 { $path }（没有留下不完整的文件），数据库未改动；请腾出空间后重试
cli-not-exported = 未导出 — { $error }
cli-no-duplicates = 没有疑似重复的客户
cli-duplicates-found = { $count } 对疑似重复，显示 { $shown } 对 — 合并：dossier merge 保留编号 重复编号
cli-not-merged = 未合并 — { $error }
cli-merged = 已将客户 { $duplicate } 合并进 { $keep }（转移 { $deals } 个商机、{ $activities } 条活动；{ $duplicate } 已移入回收站）— 撤销：dossier unmerge { $merge }
cli-no-merge-to-undo = 没有可撤销的合并
cli-not-undone = 未撤销 — { $error }
cli-unmerged = 合并 { $merge } 已撤销：客户 { $kept } 和 { $merged } 重新分开
cli-exported = 已导出 { $count } 条记录{ $to }
cli-exported-to = 到 { $path }
cli-labels-csv-only = --labels 只用于 --format csv：vCard 和 JSON 保留各自的字段名
cli-list-separator = 、
cli-problem-separator = ；

## search：命中的字段。
search-field-name = 名称
search-field-company = 公司
search-field-customer = 客户
search-field-title = 职位
search-field-phone = 电话
search-field-email = 邮箱
search-field-city = 城市
search-field-tags = 标签
search-field-details = 详情
search-field-notes = 备注
search-field-summary = 摘要

## import：导入报告。
import-read-as = 按 { $encoding } 读取（如果文字看起来不对，请用 --encoding 指定编码）
import-columns-ignored = 未导入的列：{ $columns }（可用 --map '列名=字段' 映射）
import-would-create = 第 { $line } 行：将新建 { $label }
import-would-update = 第 { $line } 行：将更新 { $label }
import-would-update-id = 第 { $line } 行：将更新 { $label }（客户 { $id }）
import-not-restored = 未恢复 — { $reason }
import-rejected = 第 { $line } 行：已拒绝 — { $reason }
import-more-rejected = … 另有 { $count } 行被拒绝（--json 列出全部）
import-vcard-kept = 保留但未显示的 vCard 属性：{ $names }（作为自定义字段“vcard 名称”存于每位客户，导出 vCard 时原样写回）
import-warning = 第 { $line } 行：警告 — { $message }
import-more-warnings = … 另有 { $count } 条警告（--json 列出全部）
import-summary = 新建 { $created }，更新 { $updated }，未变 { $unchanged }，拒绝 { $rejected }，警告 { $warnings }
import-dry-run = 试运行 — 将会{ $counts }
import-blank = （跳过 { $count } 个空行）
import-took = { $summary }，用时 { $seconds } 秒
import-swept = 一次全库分类用时 { $seconds } 秒
import-deferred = 分类已推迟：下次启动 dossier（或运行 dossier classify）时为导入的客户打标签

## agenda 和 done。
agenda-occasions = 未来 { $days } 天内的生日和纪念日：
agenda-today = 今天
agenda-tomorrow = 明天
agenda-in-days = { $count } 天后
agenda-birthday = 生日
agenda-anniversary = 纪念日
agenda-none = 今天（{ $today }）没有到期的跟进。
agenda-due = 截至今天（{ $today }）有 { $count } 个跟进到期
agenda-overdue = ，其中 { $count } 个已逾期
agenda-days-late = 逾期 { $count } 天
agenda-done-hint = 完成：dossier done { $id }
agenda-more = … 另有 { $count } 个：dossier agenda --json 列出全部
done-customer-id = 客户 { $id }
done-marked = 与 { $who } 的跟进（到期 { $due }，活动 { $id }）已标为完成
done-tag = 标签 { $kind } { $change }
agenda-ics-needs-file = --ics 需要一个文件：-o 文件
agenda-output-needs-ics = -o 文件 须与 --ics 一起使用
agenda-ics-written = 已将 { $reminders } 个待办跟进提醒和 { $occasions } 个生日或纪念日写入 { $path }{ $reminders ->
    [one] {""}
   *[other] {""}
}{ $occasions ->
    [one] {""}
   *[other] {""}
} — 请导入你的日历应用
file-not-written = 未写入 — { $error }
file-cannot-write = 无法写入 { $path }：{ $error }
arg-record-id = 需要记录编号：整数，例如 12，见 `dossier list`
arg-version = 需要版本号：从 1 起的整数，见 `dossier show --json`
panic-with-log = dossier 因程序错误而停止：{ $message }（{ $place }）
    日志在 { $log } — 请附在错误报告里。已保存的数据是安全的。
panic-no-log = dossier 因程序错误而停止：{ $message }（{ $place }）
    已保存的数据是安全的。
import-kept-in-custom = { $field }：{ $problem } — 已保存在自定义字段“{ $key }”中
import-no-header-read = 无法读取表头行：{ $error }
import-empty-file = 文件为空或没有表头行
import-unreadable-row = 无法读取的行：{ $error }
import-vcard-customers-only = vCard 文件只含客户 — 请去掉 --kind
import-no-vcard = 没有找到 BEGIN:VCARD — 这是 vCard 文件吗？
export-vcard-customers-only = vCard 只能导出客户 — 其他类型请用 csv 或 json
export-shape-customers-only = --shape google/outlook 只能导出客户 — 请去掉 --kind 或 --shape
restore-cannot-read = 无法读取备份：{ $error }
restore-not-a-backup = 这个 JSON 不是 dossier 备份（没有 "format": "dossier-backup"）— 请用 dossier export --format json 导出
restore-missing-link = { $from } 关联到 { $kind } { $id }，但备份里没有它

# Domain and import messages
err-not-one-of = “{ $value }”不是有效的{ $what } — 可选：{ $expected }
type-activity-kind = 活动类型
type-campaign-channel = 活动渠道
type-channel = 渠道
type-customer-kind = 客户类型
type-goal = 目标
type-region = 区域
type-sentiment = 情绪倾向
type-stage = 阶段
err-link-missing = { $kind } { $id } 不存在
err-link-in-trash = { $kind } { $id } 在回收站中 — 请先恢复，或另选一条
import-bad-phone-kept = 电话“{ $value }”不是电话号码（数字、空格、+ - ( ) 和分机号）— 已保存在自定义字段“{ $key }”中
import-bad-email-kept = 邮箱“{ $value }”不是电子邮箱（应形如 name@example.com）— 已保存在自定义字段“{ $key }”中
import-control-chars-removed = { $field }“{ $value }”含有控制字符 — 已删除
import-too-long-kept = { $field } 长 { $length } 个字符（最多 { $most }）— 已截短，完整内容保存在自定义字段“{ $key }”中
follow-up-none-open = 活动 { $id } 没有可标记完成的跟进 — `dossier agenda` 列出待办的跟进
follow-up-already-closed = 活动 { $id } 的跟进已于 { $on } 关闭
item-pick-product = 第 { $line } 行：请选择产品
item-quantity-min = 第 { $line } 行：数量至少为 1
item-quantity-max = 第 { $line } 行：数量 { $quantity } 太大 — 最多 { $most }
item-unit-price = 第 { $line } 行：单价{ $problem }
money-negative = { $amount } 是负数 — 金额不能小于零
money-too-large = { $amount } 太大 — 最多 { $most }
merge-into-itself = 客户不能合并到自己
merge-none = 没有编号为 { $id } 的合并
merge-damaged = 合并 { $id } 的记录已损坏：{ $error }
merge-changed-since = 客户 { $id } 在合并后又被修改过（现为版本 { $current }，合并后为版本 { $after }）— 撤销合并会丢失这次修改
dup-same-email = 邮箱相同 { $email }
dup-same-phone = 电话相同 { $phone }
dup-same-name-no-company = 姓名相同，没有公司可以区分
dup-same-name-one-company = 姓名相同，其中一个没有公司
dup-similar-name-company = 姓名和公司相近
import-shared-email = 与客户 { $id } 邮箱相同但姓名不同 — 作为另一个客户保留（见 dossier duplicates）
import-same-name-only = 与客户 { $id } 同名且没有其他信息可区分 — 已新建客户（见 dossier duplicates）
import-shared-phone = 与客户 { $id } 共用电话 { $phone } — 已新建客户：仅电话相同不能说明是同一个人（见 dossier duplicates）
import-same-name-nothing-shared = 与客户 { $id } 同名，但邮箱、电话、公司都不相同 — 已新建客户（见 dossier duplicates）
restore-bad-id = { $who }：编号必须是从 1 起的整数
restore-id-twice = { $who }：编号出现了两次
restore-bad-version = { $who }：版本 { $version } — 版本从 1 起计
restore-bad-uuid = { $who }：uuid“{ $uuid }”不是 UUID（8-4-4-4-12 位十六进制数字）
restore-uuid-twice = { $who }：uuid { $uuid } 出现了两次
restore-not-a-campaign = { $from } 指向活动 { $id }，但它在备份里不是营销活动
restore-tag-who = { $kind } { $id } 的标签 { $tag }
restore-tag-unknown-kind = { $who }：未知的记录类型
restore-tag-no-record = { $who }：备份里没有这条记录
restore-tag-no-dimension = { $who }：规则里没有维度“{ $dimension }”
restore-tag-no-value = { $who }：规则从不给“{ $dimension }”取值“{ $value }”
restore-history-unknown-kind = 标签历史 { $id }：未知的记录类型“{ $kind }”
problem-field-items = 明细
problem-field-follow-up = 跟进
keymap-unknown-key = 未知的按键“{ $key }”
keymap-unknown-modifier = 按键“{ $key }”中有未知的修饰键“{ $modifier }”
config-cannot-read = 无法读取 { $path }：{ $error }
theme-unknown-role = 未知的颜色角色“{ $role }”
team-you-manager = 你是 { $me }，团队 { $team } 的经理
team-you-rep = 你是 { $me }，团队 { $team } 的销售
team-you-owner = 你是 { $me }，本客户档案的所有者：行级安全不约束你
team-you-nobody = 你是 { $me }，不属于任何团队：你看不到任何记录
team-you = 你是 { $me }
err-not-a-campaign = 活动 { $id } 是{ $kind }，不是营销活动
tui-cannot-draw = 无法在终端上绘制：{ $error }
rules-setting-kind = 设置“{ $key }”必须是{ $kind }
rules-cannot-read = 无法读取：{ $error }
rules-kind-number = 数字（如 { $example }）
rules-kind-text = 加引号的文本（如 "{ $example }"）
rules-kind-list = 文本列表（如 ["a", "b"]）
rules-unknown-setting-mean = 未知的设置“{ $key }”— 是不是 { $guess }？
rules-unknown-setting-list = 未知的设置“{ $key }”— 可用的设置：{ $known }
rules-dimension-empty = { $dimension } 没有规则、没有 value_from，也没有默认值
rules-say-unknown = say 里的“{"{"}{ $name }{"}"}”不是{ $subject }的事实、设置或 limit
rules-unclosed-brace = “{ $text }”里有“{"{"}”却没有对应的“{"}"}”
rules-unknown-fact = 未知的{ $subject }事实“{ $fact }”— 已知事实：{ $known }
rules-unknown-op = 未知的运算“{ $op }”— 可用 >=、>、<=、<、==、!=、in、not_in、present 或 absent
rules-op-takes-nothing = 运算“{ $op }”不需要比较的对象
rules-condition-one-of = 关于“{ $fact }”的条件必须恰好给出 value、values、setting、percentile 之一
rules-percentile-range = 百分位 { $percentile } 不在 1 到 99 之间
rules-setting-missing = 未知的设置“{ $key }”— 请在 [settings] 下添加
rules-value-kind = value 必须是数字或文本
rules-op-text = “{ $fact }”是文本：运算“{ $op }”无法与给出的值比较（数字可用 >=、>、<=、<、==、!= 与数字、设置或百分位比较；文本可用 == 或 != 与文本比较，用 in 或 not_in 与列表比较）
rules-op-number = “{ $fact }”是数字：运算“{ $op }”无法与给出的值比较（数字可用 >=、>、<=、<、==、!= 与数字、设置或百分位比较；文本可用 == 或 != 与文本比较，用 in 或 not_in 与列表比较）
rules-floor-percentile = floor 只能与 percentile 一起用
rules-setting-not-number = 设置“{ $key }”不是数字
