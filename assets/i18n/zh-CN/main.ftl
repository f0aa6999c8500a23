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
