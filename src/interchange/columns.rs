//! CSV column headers → record fields: automatic for dossier's own field
//! names and for the column names of Google Contacts, Outlook, common CRM
//! exports and Chinese spreadsheets; `--map COLUMN=FIELD` overrides.

use crate::domain::fields::{
    FieldSpec, CAMPAIGN_FIELDS, CUSTOMER_FIELDS, OPPORTUNITY_FIELDS, PRODUCT_FIELDS, TOUCH_FIELDS,
};
use crate::domain::Kind;

/// Where one column's cells go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A field of the record, by its name in `domain::fields`.
    Field(&'static str),
    /// A customer's custom field.
    Custom(String),
    /// Parts of a split name (first/last/middle), joined into `name`.
    GivenName,
    FamilyName,
    MiddleName,
    /// A phone, email, website or IM column whose values carry a label
    /// (`Mobile Phone` → phones labelled mobile, `微信` → ims labelled wechat).
    Labelled(&'static str, &'static str),
    /// One of several numbered values (Google's `Phone 1 - Value`): the
    /// field and the group whose `… - Type` column holds the label.
    Grouped(&'static str, String),
    /// The label column of a group (`Phone 1 - Type`, `IM 1 - Service`).
    GroupLabel(String),
    /// A part of one of several addresses (`Address 2 - City`, Outlook's
    /// `Home Street`): the address group and the part (street, city,
    /// region, postcode, country, label).
    AddressPart(String, &'static str),
    /// Read and dropped.
    Ignore,
}

/// The fields of a kind, as imported (activities: touches and campaigns).
pub fn specs(kind: Kind) -> Vec<FieldSpec> {
    match kind {
        Kind::Customer => CUSTOMER_FIELDS.to_vec(),
        Kind::Opportunity => OPPORTUNITY_FIELDS.to_vec(),
        Kind::Product => PRODUCT_FIELDS.to_vec(),
        Kind::Activity => {
            let mut all = TOUCH_FIELDS.to_vec();
            for s in CAMPAIGN_FIELDS {
                if !all.iter().any(|t| t.name == s.name) {
                    all.push(*s);
                }
            }
            all
        }
    }
}

/// Lower-case letters only (ASCII digits, spaces and punctuation dropped,
/// CJK kept): `E-mail 2 - Value` → `emailvalue`.
pub fn normalise(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric() && !c.is_ascii_digit())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Customer column names seen in the wild, normalised.
const CUSTOMER_ALIASES: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "name",
            "fullname",
            "displayname",
            "contactname",
            "contact",
            "customername",
            "customer",
            "clientname",
            "client",
            "姓名",
            "名称",
            "客户名称",
            "客户姓名",
            "客户",
            "联系人",
            "联系人姓名",
        ],
    ),
    (
        "company",
        &[
            "company",
            "companyname",
            "organization",
            "organizationname",
            "organisation",
            "organisationname",
            "org",
            "account",
            "accountname",
            "employer",
            "business",
            "businessname",
            "公司",
            "公司名称",
            "单位",
            "单位名称",
            "企业",
            "企业名称",
            "所属公司",
            "工作单位",
        ],
    ),
    (
        "title",
        &[
            "title",
            "jobtitle",
            "position",
            "organizationtitle",
            "organisationtitle",
            "role",
            "职位",
            "职务",
            "头衔",
            "岗位",
        ],
    ),
    (
        "phones",
        &[
            "phone",
            "phones",
            "phonevalue",
            "phonenumber",
            "telephone",
            "tel",
            "primaryphone",
            "carphone",
            "assistantsphone",
            "radiophone",
            "mainphone",
            "电话",
            "联系电话",
            "电话号码",
            "联系方式",
        ],
    ),
    (
        "emails",
        &[
            "email",
            "emails",
            "emailaddress",
            "emailvalue",
            "mail",
            "emailaddr",
            "secondaryemail",
            "primaryemail",
            "邮箱",
            "电子邮件",
            "电子邮箱",
            "邮件",
            "邮箱地址",
        ],
    ),
    (
        "country",
        &[
            "country",
            "countryregion",
            "addresscountry",
            "businesscountryregion",
            "homecountryregion",
            "workcountry",
            "homecountry",
            "othercountryregion",
            "mailingcountry",
            "billingcountry",
            "国家",
            "国家地区",
            "国别",
        ],
    ),
    (
        "province",
        &[
            "province",
            "state",
            "region",
            "stateprovince",
            "addressregion",
            "businessstate",
            "homestate",
            "workstate",
            "otherstate",
            "mailingstate",
            "billingstate",
            "省",
            "省份",
            "州",
            "省州",
            "地区",
        ],
    ),
    (
        "city",
        &[
            "city",
            "town",
            "addresscity",
            "businesscity",
            "homecity",
            "workcity",
            "othercity",
            "mailingcity",
            "billingcity",
            "城市",
            "市",
            "所在城市",
        ],
    ),
    (
        "address",
        &[
            "address",
            "street",
            "streetaddress",
            "addressstreet",
            "addressformatted",
            "businessstreet",
            "homestreet",
            "workaddress",
            "homeaddress",
            "otherstreet",
            "businessaddress",
            "mailingstreet",
            "billingstreet",
            "地址",
            "详细地址",
            "街道",
            "通讯地址",
            "联系地址",
        ],
    ),
    ("industry", &["industry", "sector", "行业", "所属行业"]),
    (
        "size",
        &[
            "size",
            "employees",
            "numberofemployees",
            "employeecount",
            "companysize",
            "headcount",
            "规模",
            "员工数",
            "人数",
            "公司规模",
            "员工人数",
        ],
    ),
    (
        "source",
        &[
            "source",
            "leadsource",
            "contactsource",
            "来源",
            "客户来源",
            "渠道来源",
        ],
    ),
    ("needs", &["needs", "need", "interests", "需求", "客户需求"]),
    (
        "notes",
        &[
            "notes",
            "note",
            "description",
            "comments",
            "comment",
            "remarks",
            "memo",
            "备注",
            "说明",
            "描述",
        ],
    ),
    (
        "owner",
        &[
            "owner",
            "accountowner",
            "contactowner",
            "leadowner",
            "salesperson",
            "salesrep",
            "assignedto",
            "负责人",
            "跟进人",
            "所属销售",
            "销售",
            "归属人",
        ],
    ),
    (
        "kind",
        &["kind", "customertype", "customerkind", "客户类型", "类型"],
    ),
];

/// Address-book columns with a field of their own.
const CARD_ALIASES: &[(&str, &[&str])] = &[
    (
        "prefix",
        &["prefix", "honorific", "nameprefix", "称谓", "称呼"],
    ),
    ("suffix", &["suffix", "namesuffix"]),
    ("nickname", &["nickname", "昵称"]),
    (
        "department",
        &[
            "department",
            "organizationdepartment",
            "部门",
            "所属部门",
            "部门名称",
        ],
    ),
    (
        "websites",
        &[
            "webpage",
            "website",
            "websitevalue",
            "web",
            "url",
            "personalwebpage",
            "businesswebpage",
            "网址",
            "主页",
            "网站",
        ],
    ),
    (
        "birthday",
        &["birthday", "birthdate", "dateofbirth", "生日", "出生日期"],
    ),
    ("anniversary", &["anniversary", "纪念日"]),
    (
        "groups",
        &[
            "categories",
            "category",
            "groupmembership",
            "groups",
            "group",
            "分组",
            "标签",
            "客户分组",
        ],
    ),
    (
        "postcode",
        &[
            "postcode",
            "postalcode",
            "zip",
            "zipcode",
            "addresspostalcode",
            "businesspostalcode",
            "homepostalcode",
            "otherpostalcode",
            "workzipcode",
            "homezipcode",
            "mailingzip",
            "billingzip",
            "邮编",
            "邮政编码",
        ],
    ),
];

/// Columns whose values carry a label: field, label, headers.
const LABELLED: &[(&str, &str, &[&str])] = &[
    (
        "phones",
        "mobile",
        &[
            "mobile",
            "mobilephone",
            "mobilenumber",
            "cell",
            "cellphone",
            "手机",
            "手机号",
            "手机号码",
        ],
    ),
    (
        "phones",
        "work",
        &["businessphone", "workphone", "办公电话", "座机", "座机号码"],
    ),
    ("phones", "home", &["homephone"]),
    ("phones", "main", &["companymainphone"]),
    ("phones", "other", &["otherphone"]),
    ("phones", "pager", &["pagernumber", "pager"]),
    (
        "phones",
        "fax",
        &[
            "fax",
            "faxnumber",
            "businessfax",
            "homefax",
            "otherfax",
            "传真",
            "传真号码",
        ],
    ),
    ("emails", "work", &["workemail", "企业邮箱", "工作邮箱"]),
    ("emails", "home", &["personalemail", "个人邮箱"]),
    (
        "ims",
        "wechat",
        &["wechat", "wechatid", "weixin", "微信", "微信号"],
    ),
    ("ims", "qq", &["qq", "qq号", "qq号码"]),
    ("ims", "skype", &["skype", "skypeid"]),
    ("ims", "whatsapp", &["whatsapp"]),
    ("ims", "telegram", &["telegram"]),
    ("ims", "dingtalk", &["dingtalk", "钉钉", "钉钉号"]),
];

/// Columns kept as custom fields (Thunderbird's split birthday, joined
/// into the birthday on import).
const CUSTOM_ALIASES: &[(&str, &[&str])] = &[
    ("birth year", &["birthyear"]),
    ("birth month", &["birthmonth"]),
];

/// Numbered groups of Google's export: `Phone 1 - Type` / `Phone 1 - Value`.
fn numbered_group(header: &str) -> Option<(String, String)> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    let (head, part) = h.split_once(" - ")?;
    let (word, number) = head.rsplit_once(' ')?;
    number.parse::<u32>().ok()?;
    Some((format!("{word} {number}"), part.trim().to_string()))
}

/// An address part named by its group: Google's `Address 2 - City`,
/// Outlook's `Home Street` / `Business Postal Code`, Thunderbird's
/// `Work Address 2` / `Home ZipCode`.
fn address_part(header: &str) -> Option<(String, &'static str)> {
    if let Some((group, part)) = numbered_group(header) {
        if !group.starts_with("address ") {
            return None;
        }
        let part = match part.as_str() {
            "street" | "extended address" | "po box" => "street",
            "formatted" => "formatted",
            "city" => "city",
            "region" => "region",
            "postal code" => "postcode",
            "country" => "country",
            "type" => "label",
            _ => return None,
        };
        return Some((group, part));
    }
    let h = header.trim().to_lowercase();
    let (group, rest) = h.split_once(' ')?;
    if !matches!(group, "business" | "home" | "other" | "work") {
        return None;
    }
    let part = match normalise(rest).as_str() {
        "street" | "address" | "pobox" => "street",
        "city" => "city",
        "state" => "region",
        "postalcode" | "zipcode" => "postcode",
        "countryregion" | "country" => "country",
        _ => return None,
    };
    Some((group.to_string(), part))
}

const GIVEN: &[&str] = &["firstname", "givenname", "forename", "名", "名字"];
const FAMILY: &[&str] = &["lastname", "familyname", "surname", "姓", "姓氏"];
const MIDDLE: &[&str] = &["middlename", "additionalname"];

/// Other kinds: a few common names beside the field names and labels.
const OTHER_ALIASES: &[(Kind, &str, &[&str])] = &[
    (
        Kind::Opportunity,
        "title",
        &[
            "deal",
            "dealname",
            "opportunity",
            "opportunityname",
            "机会",
            "机会名称",
        ],
    ),
    (Kind::Opportunity, "customer", &["customerid", "客户"]),
    (
        Kind::Opportunity,
        "expected_close",
        &["closedate", "expectedclosedate", "预计成交日期"],
    ),
    (Kind::Opportunity, "amount", &["value", "dealvalue", "金额"]),
    (
        Kind::Product,
        "name",
        &["product", "productname", "产品", "产品名称"],
    ),
    (
        Kind::Product,
        "price",
        &["unitprice", "listprice", "价格", "单价"],
    ),
    (Kind::Product, "category", &["type", "类别", "分类"]),
    (Kind::Activity, "customer", &["customerid", "客户"]),
    (Kind::Activity, "kind", &["type", "activitytype"]),
];

/// The automatic target of a column header, if any.
pub fn auto_target(kind: Kind, header: &str) -> Option<Target> {
    let trimmed = header.trim();
    if let Some(key) = trimmed.strip_prefix("custom.") {
        if kind == Kind::Customer && !key.trim().is_empty() {
            return Some(Target::Custom(key.trim().to_string()));
        }
    }
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    if n == "id" {
        return Some(Target::Ignore);
    }
    // A field's own name or label always works.
    for spec in specs(kind) {
        if n == normalise(spec.name) || n == normalise(spec.label) {
            return Some(Target::Field(spec.name));
        }
    }
    if kind == Kind::Customer {
        if let Some((group, part)) = address_part(header) {
            return Some(Target::AddressPart(group, part));
        }
        if let Some((group, part)) = numbered_group(header) {
            let field = match group.split(' ').next() {
                Some("phone") => Some("phones"),
                Some("e-mail" | "email") => Some("emails"),
                Some("website") => Some("websites"),
                Some("im") => Some("ims"),
                Some("event") => Some("events"),
                _ => None,
            };
            if let Some(field) = field {
                return Some(match part.as_str() {
                    "type" | "service" | "label" => Target::GroupLabel(group),
                    "value" => Target::Grouped(field, group),
                    _ => Target::Ignore,
                });
            }
        }
        for (field, label, aliases) in LABELLED {
            if aliases.contains(&n.as_str()) {
                return Some(Target::Labelled(field, label));
            }
        }
        for (field, aliases) in CARD_ALIASES {
            if aliases.contains(&n.as_str()) {
                return Some(Target::Field(field));
            }
        }
        for (field, aliases) in CUSTOMER_ALIASES {
            if aliases.contains(&n.as_str()) {
                return Some(Target::Field(field));
            }
        }
        for (key, aliases) in CUSTOM_ALIASES {
            if aliases.contains(&n.as_str()) {
                return Some(Target::Custom(key.to_string()));
            }
        }
        if GIVEN.contains(&n.as_str()) {
            return Some(Target::GivenName);
        }
        if FAMILY.contains(&n.as_str()) {
            return Some(Target::FamilyName);
        }
        if MIDDLE.contains(&n.as_str()) {
            return Some(Target::MiddleName);
        }
    }
    for (k, field, aliases) in OTHER_ALIASES {
        if *k == kind && aliases.contains(&n.as_str()) {
            return Some(Target::Field(field));
        }
    }
    None
}

/// Fixes the automatic mapping where one header means different things in
/// different programs, from the other headers of the file:
/// - Outlook writes `Title` for the honorific (Mr., Dr.) beside `Job
///   Title`: with a job-title column, `Title` is the prefix;
/// - Chinese CRM sheets name the person `联系人` and the firm `客户名称`:
///   with a contact-person column, `客户名称`/`客户` is the company.
pub fn in_context(kind: Kind, headers: &[&str], targets: &mut [Target]) {
    if kind != Kind::Customer {
        return;
    }
    let norm: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    let has = |names: &[&str]| norm.iter().any(|n| names.contains(&n.as_str()));
    let job_title = has(&["jobtitle", "organizationtitle", "职位", "职务"]);
    let contact_person = has(&["联系人", "联系人姓名", "姓名", "客户姓名"]);
    for (n, t) in norm.iter().zip(targets.iter_mut()) {
        if *t == Target::Field("title") && n == "title" && job_title {
            *t = Target::Field("prefix");
        }
        // Thunderbird splits the birthday into year, month and day columns.
        if n == "birthday" && has(&["birthyear", "birthmonth"]) {
            *t = Target::Custom("birth day".into());
        }
        if *t == Target::Field("name")
            && contact_person
            && matches!(n.as_str(), "客户名称" | "客户")
        {
            *t = Target::Field("company");
        }
    }
}

/// Reads a `--map COLUMN=FIELD` option: FIELD is a field name, `custom.KEY`,
/// `first_name`/`last_name`/`middle_name`, or `ignore`.
pub fn parse_map(kind: Kind, spec: &str) -> Result<(String, Target), String> {
    let Some((column, field)) = spec.rsplit_once('=') else {
        return Err(format!("--map '{spec}' is not COLUMN=FIELD"));
    };
    let (column, field) = (column.trim(), field.trim());
    if column.is_empty() {
        return Err(format!("--map '{spec}' names no column"));
    }
    let target = match field {
        "ignore" | "-" | "" => Target::Ignore,
        "first_name" | "given_name" => Target::GivenName,
        "last_name" | "family_name" => Target::FamilyName,
        "middle_name" => Target::MiddleName,
        f if f.starts_with("custom.") && kind == Kind::Customer => {
            Target::Custom(f["custom.".len()..].to_string())
        }
        f => match specs(kind).iter().find(|s| s.name == f) {
            Some(s) => Target::Field(s.name),
            None => {
                let names: Vec<&str> = specs(kind).iter().map(|s| s.name).collect();
                return Err(format!(
                    "--map '{spec}': {kind} has no field '{f}' — fields: {}, or ignore{}",
                    names.join(", "),
                    if kind == Kind::Customer {
                        ", first_name, last_name, custom.KEY"
                    } else {
                        ""
                    }
                ));
            }
        },
    };
    Ok((column.to_string(), target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_common_exports() {
        let c = |h| auto_target(Kind::Customer, h);
        assert_eq!(
            c("E-mail 1 - Value"),
            Some(Target::Grouped("emails", "e-mail 1".into()))
        );
        assert_eq!(
            c("Phone 2 - Value"),
            Some(Target::Grouped("phones", "phone 2".into()))
        );
        assert_eq!(
            c("Phone 2 - Type"),
            Some(Target::GroupLabel("phone 2".into()))
        );
        assert_eq!(
            c("Address 2 - City"),
            Some(Target::AddressPart("address 2".into(), "city"))
        );
        assert_eq!(
            c("Home Street"),
            Some(Target::AddressPart("home".into(), "street"))
        );
        assert_eq!(
            c("Mobile Phone"),
            Some(Target::Labelled("phones", "mobile"))
        );
        assert_eq!(c("Business Fax"), Some(Target::Labelled("phones", "fax")));
        assert_eq!(c("微信"), Some(Target::Labelled("ims", "wechat")));
        assert_eq!(c("Birthday"), Some(Target::Field("birthday")));
        assert_eq!(c("Group Membership"), Some(Target::Field("groups")));
        assert_eq!(c("Phone"), Some(Target::Field("phones")));
        assert_eq!(c("Organization 1 - Name"), Some(Target::Field("company")));
        assert_eq!(
            c("Business Country/Region"),
            Some(Target::AddressPart("business".into(), "country"))
        );
        assert_eq!(c("Job Title"), Some(Target::Field("title")));
        assert_eq!(c("First Name"), Some(Target::GivenName));
        assert_eq!(c("手机号码"), Some(Target::Labelled("phones", "mobile")));
        assert_eq!(c("公司名称"), Some(Target::Field("company")));
        assert_eq!(c("Province/State"), Some(Target::Field("province")));
        assert_eq!(c("custom.wechat"), Some(Target::Custom("wechat".into())));
        assert_eq!(c("Photo"), None);
        assert_eq!(
            auto_target(Kind::Opportunity, "Expected close"),
            Some(Target::Field("expected_close"))
        );
    }

    #[test]
    fn map_option_names_fields() {
        assert_eq!(
            parse_map(Kind::Customer, "Kontakt=name").unwrap(),
            ("Kontakt".into(), Target::Field("name"))
        );
        assert!(parse_map(Kind::Customer, "X=colour")
            .unwrap_err()
            .contains("no field 'colour'"));
    }
}
