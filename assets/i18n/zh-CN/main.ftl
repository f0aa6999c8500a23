## dossier 各处共用的词：标签理由、对象、日期。

## 标签理由（句子本身在 rules.toml 里）。
reason-none = 无
reason-limit-floor = 客户数还太少、不足以算百分位，暂以 { $floor } 为界
reason-limit-top = 位于前 { $percent } %（门槛 { $cut }）
reason-limit-not-computed = 全库第 { $percentile } 百分位尚未计算
reason-default = { $value }：没有规则命中，取默认值
reason-from-field = 取自{ $subject }的{ $field }
reason-always = 始终为{ $value }
reason-and = ，且{ " " }
reason-because = { $value }，因为 { $conditions }

subject-customer = 客户
subject-opportunity = 商机
subject-product = 产品
subject-campaign = 市场活动

## 日期输入。
date-required = 必填 — 请输入 YYYY-MM-DD、今天、明天或 +3天
date-invalid = “{ $input }”不是日期 — 请输入 YYYY-MM-DD、今天、明天、后天、+3天、+2周，或星期几（如 周五、下周五）
date-out-of-range = “{ $input }”超出范围 — 日期须在 0001-01-01 到 9999-12-31 之间
date-follow-up-missing = 请在 @ 后输入跟进日期 — @周五、@+2周 或 @2026-12-04

## 记录类型和活动类型。
kind-customer = 客户
kind-opportunity = 商机
kind-product = 产品
kind-activity = 活动
activity-call = 电话
activity-visit = 拜访
activity-meeting = 会议
activity-email = 邮件
activity-note = 备注
activity-campaign = 市场活动

## 跟进提醒。
follow-up-answered = 跟进 { $due } 已由 #{ $by } 于 { $on } 回应
follow-up-done = 跟进 { $due } 已于 { $on } 完成
follow-up-overdue = 跟进 { $due } 已逾期
follow-up-open = 跟进 { $due } 待办

## doctor：各项检查及结果。
doctor-check-integrity = 数据完整性
doctor-check-links = 记录之间的关联
doctor-check-orphans = 孤立标签
doctor-check-history = 标签与其历史一致
doctor-check-parts = 记录与其组成部分一致
doctor-check-untagged = 每条记录都带有规则给出的标签
doctor-check-rules = 标签与规则一致
doctor-could-not-run = 无法执行此项检查：{ $error }
doctor-more-untagged = ……另有 { $count } 条记录没有标签
doctor-note-sample = 已对每种记录随机抽取 { $sample } 条，比对标签与规则
doctor-note-no-sweep = 未比对标签与规则：今天的分类尚未运行（运行 dossier classify 即可）
doctor-note-not-compared = 未比对标签与规则：{ $error }
doctor-note-trash-tags = 回收站中有 { $count } 条记录保留着标签，恢复后标签随之恢复

## 校验：字段哪里不对，说给输入的人听。
valid-too-long = 长 { $length } 个字符 — 最多 { $max } 个
valid-control-chars = 含有控制字符（如转义码）— 请输入纯文本
valid-currency = “{ $input }”不是币种代码 — 应为三个字母，如 CNY、USD 或 EUR
valid-required = 必填
valid-email = “{ $input }”不是电子邮箱 — 应形如 name@example.com
valid-phone = “{ $input }”不是电话号码 — 只能包含数字、空格、+ - ( ) 和分机号
