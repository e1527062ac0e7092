"""Report lines (verify, db check, print, export; the command line and the Verify window) in
Simplified Chinese.

Those lines are made in English by the modules that check (export.verify, store.check); this
catalog says them in Chinese line by line, pattern to sentence, with the values (file names,
counts, fingerprints, hashes) carried over as they are. A line no pattern knows stays English:
tests/test_cli.py runs every report of the test bundles and stores through it and fails on one."""

from __future__ import annotations

import re
from collections.abc import Iterable

from desktop_app.rules.language import Language

_LINES: list[tuple[str, str]] = [
    # verify: the verdict
    (r"VALID", "有效"),
    (r"VALID; signer not in trusted keys", "有效；签名人不在受信任的密钥中"),
    (r"INVALID: (\d+) check\(s\) failed: (.*)", "无效：{0} 项检查未通过：{1}"),
    (r"UNREADABLE: (.*)", "无法读取：{0}"),
    (
        r"VALID: signed by (.*), a key trusted for site (\S+)",
        "有效：由 {0} 签名，该密钥受信任于研究中心 {1}",
    ),
    (
        r"VALID, SIGNER NOT CHECKED: the bundle is intact as signed by key (.*), but no trusted keys were "
        r"given, so whose key that is was not checked",
        "有效，但未核验签名人：数据包与密钥 {0} 的签名一致且完整，但未提供受信任的密钥，因此未核验该密钥属于谁",
    ),
    # verify: one line per check (the label column, then the check)
    (r"ok       (.*)", "通过     {0}"),
    (r"FAILED   (.*)", "未通过   {0}"),
    (r"note     (.*)", "注意     {0}"),
    (r"stated   (.*)", "自述     {0}"),
    (r"signer (.*) is not in the trusted keys", "签名人 {0} 不在受信任的密钥中"),
    (r"manifest signature by (.*) \(key ([0-9A-F ]+)\)", "清单签名人：{0}（密钥 {1}）"),
    (r"manifest signature does not verify", "清单签名验证未通过"),
    (
        r"manifest\.json is not in canonical form \(it was edited\)",
        "manifest.json 不是规范格式（已被编辑）",
    ),
    (r"signer\.pub fingerprint does not match its public key", "signer.pub 的指纹与其公钥不符"),
    (r"manifest format is (.*), expected (.*)", "清单格式为 {0}，应为 {1}"),
    (
        r"manifest, signature or signer key is malformed: (.*)",
        "清单、签名或签名人密钥格式错误：{0}",
    ),
    (r"the file is not a readable zip: (.*)", "该文件不是可读取的 zip：{0}"),
    (r"a file in the zip cannot be read: (.*)", "zip 中有文件无法读取：{0}"),
    (r"(\S+): sha256 and size match", "{0}：sha256 与大小一致"),
    (
        r"audit chain: (\d+) events, every hash recomputed, head (\S+) as signed",
        "稽查轨迹哈希链：{0} 条事件，每个哈希均已重新计算，链头 {1} 与签名一致",
    ),
    (
        r"no trusted keys were given: signer (.*) not checked",
        "未提供受信任的密钥：未核验签名人 {0}",
    ),
    (r"the signer's key (.*) is not in the trusted keys", "签名人密钥 {0} 不在受信任的密钥中"),
    (
        r"the signer's key (.*) is trusted for site (\S+), and this bundle is from site (\S+)",
        "签名人密钥 {0} 受信任于研究中心 {1}，而本数据包来自研究中心 {2}",
    ),
    (r"signer (.*) is trusted for site (\S+)", "签名人 {0} 受信任于研究中心 {1}"),
    (
        r"(\S+) is in the zip but not in the manifest \(an extra file\)",
        "{0} 在 zip 中但不在清单中（多出的文件）",
    ),
    (r"the file cannot be read: (.*)", "无法读取该文件：{0}"),
    (r"(.*) are missing", "缺少 {0}"),
    (r"the manifest lists no (\S+)", "清单中没有 {0}"),
    (r"(\S+) is not a list of signatures", "{0} 不是签名列表"),
    (r"(\S+): sha256 differs from the manifest", "{0}：sha256 与清单不符"),
    (r"(\S+): size (\d+) differs from the manifest's (.*)", "{0}：大小 {1} 与清单中的 {2} 不符"),
    (r"(\S+) is not in the manifest \(an extra file\)", "{0} 不在清单中（多出的文件）"),
    (r"(\S+) is missing", "缺少 {0}"),
    (r"screenings\.json is not JSON: (.*)", "screenings.json 不是 JSON：{0}"),
    (r"(\d+) stored screening signature\(s\) checked", "已检查 {0} 个已保存的筛选签名"),
    (r"screening (\S+): a stored signature does not verify", "筛选 {0}：有已保存的签名验证未通过"),
    (
        r"screening (\S+): a stored signature belongs to another screening",
        "筛选 {0}：有已保存的签名属于另一筛选",
    ),
    # verify: what the bundle states of itself
    (r"site: (.*)", "研究中心：{0}"),
    (r"exported by: (.*), key (.*)", "导出人：{0}，密钥 {1}"),
    (
        r"exported at: (.*) by the site's clock \(local offset (.*)\)",
        "导出时间：{0}（研究中心时钟，本地时差 {1}）",
    ),
    (r"screenings: (.*)", "筛选：{0}"),
    (r"protocol: (\S+) version (\S+), sha256 (.*)", "试验方案：{0} 版本 {1}，sha256 {2}"),
    (r"made with: Eligo (\S+), bundle format (.*)", "生成软件：Eligo {0}，数据包格式 {1}"),
    # db check
    (r"database: (.*)", "数据库：{0}"),
    (r"SQLite library: (.*)", "SQLite 库：{0}"),
    (r"integrity: ok", "完整性：正常"),
    (r"integrity: (.*)", "完整性：{0}"),
    (r"audit chain: ok, (\d+) events, head (\S+)", "稽查轨迹哈希链：正常，{0} 条事件，链头 {1}"),
    (r"audit chain: BROKEN at event (\S+): (.*)", "稽查轨迹哈希链：在第 {0} 条事件处断裂：{1}"),
    (r"schema: up to date", "数据库结构：最新"),
    (r"schema: pending (.*)", "数据库结构：待迁移 {0}"),
    (r"signatures: ok", "签名：正常"),
    (r"signatures: (\d+) screening\(s\) TAMPERED", "签名：{0} 条筛选已被篡改"),
    (r"  TAMPERED (\S+) attempt (\d+): (.*)", "  已被篡改 {0} 第{1}次筛选：{2}"),
    (
        r"replay: (\d+) events replayed, every table matches; (.*)",
        "重放：已重放 {0} 条事件，每个表均一致；{1}",
    ),
    (
        r"(\d+) checkpoint\(s\) verified, the newest at event (\d+); (\d+) event\(s\) after it",
        "已验证 {0} 个检查点，最新位于第 {1} 条事件；其后有 {2} 条事件",
    ),
    (r"no checkpoint yet", "尚无检查点"),
    (
        r"replay: (\d+) DIVERGENCE\(S\) between the tables and the chain",
        "重放：数据表与哈希链之间有 {0} 处不一致",
    ),
    (r"  DIVERGES (.*)", "  不一致 {0}"),
    (r"replay: not run", "重放：未运行"),
    (r"backups: not compared", "备份：未比较"),
    (r"backups: none to compare with", "备份：无可比较的备份"),
    (
        r"backups: the chain of the newest backup, (.*), is part of this one",
        "备份：最新备份 {0} 的哈希链是本哈希链的一部分",
    ),
    (r"backups: DIVERGES audit event (\d+): (.*)", "备份：第 {0} 条稽查事件不一致：{1}"),
    (r"  TAMPERED screening (\S+)", "  已被篡改 筛选 {0}"),
    (r"OK", "正常"),
    (r"FAILED", "未通过"),
    # verify: the values of what the bundle states (shown beside their own labels)
    (r"(.*) by the site's clock \(local offset (.*)\)", "{0}（研究中心时钟，本地时差 {1}）"),
    (r"Eligo (\S+), bundle format (.*)", "Eligo {0}，数据包格式 {1}"),
    (r"(\S+) version (\S+), sha256 (.*)", "{0} 版本 {1}，sha256 {2}"),
    (r"(.*), key ([0-9A-F ]+)", "{0}，密钥 {1}"),
    # print, export
    (r"(.*): (\d+) page\(s\)", "{0}：{1} 页"),
    (r"(.*): (\d+) screening\(s\), (\d+) file\(s\), signed", "{0}：{1} 条筛选，{2} 个文件，已签名"),
]
# Messages of the checks below the screens (rules, store), shown under a field or in a message
# box: "field: problem" and the problem alone.
_MESSAGES: list[tuple[str, str]] = [
    # missing-data codes (rules.parsing)
    (
        r"the missing-data code '(.*)' is not allowed for this question \(it accepts none\): give its value",
        "此问题不接受缺失数据代码“{0}”（不接受任何缺失数据代码）：请填写其值",
    ),
    (
        r"the missing-data code '(.*)' is not allowed for this question \(it accepts (.*)\): give its value",
        "此问题不接受缺失数据代码“{0}”（可接受：{1}）：请填写其值",
    ),
    (
        r"(.*) is not a missing-data code: give (.*)",
        "{0}不是缺失数据代码：请填写 {1}",
    ),
    (r"has no carried answer waiting for confirmation", "没有待确认的沿用回答"),
    (r"Wrong username or password\.", "用户名或密码错误。"),
    (r"This account is deactivated\. Ask an administrator\.", "该账户已停用。请联系管理员。"),
    (
        r"Too many failed attempts: this account is locked until (.*)\.",
        "失败次数过多：该账户已锁定至 {0}。",
    ),
    (
        r"Too many failed attempts: this account is locked for (\d+) minutes\.",
        "失败次数过多：该账户已锁定 {0} 分钟。",
    ),
    (r"(\S+) is in the future \(today is (\S+)\)", "{0} 晚于今天（今天是 {1}）"),
    (r"(\S+) is after the screening date (\S+)", "{0} 晚于筛选日期 {1}"),
    (
        r"consent date (\S+) is after the screening date (\S+)",
        "知情同意书签署日期 {0} 晚于筛选日期 {1}",
    ),
    (
        r"date of birth (\S+) is after the consent date (\S+)",
        "出生日期 {0} 晚于知情同意书签署日期 {1}",
    ),
    (r"'(.*)': not YYYY-MM-DD", "“{0}”：请按 YYYY-MM-DD 格式填写"),
    (r"'(.*)': no such day", "“{0}”：不存在该日期"),
    (r"must be at least (\d+) characters", "至少需要 {0} 个字符"),
    (r"must not be the username", "不能与用户名相同"),
    (r"is required \(it is printed with signatures\)", "为必填项（会与签名一同打印）"),
    (
        r"3 to 32 characters: lower-case letters, digits, '\.', '_' or '-'",
        "3至32个字符：小写字母、数字、“.”、“_”或“-”",
    ),
    (r"you cannot deactivate your own account", "不能停用您自己的账户"),
    (r"between 1 and 120 minutes", "须在1至120分钟之间"),
    (r"only an eligible candidate can be enrolled", "只有符合入组条件的受试者才能入组"),
    (r"is required for an enrolled candidate", "已入组的受试者须填写此项"),
    (r"is before the screening date", "早于筛选日期"),
    (
        r"'eligible but declined' needs an eligible determination",
        "“符合条件但拒绝参加”需要判定结果为符合入组条件",
    ),
    (r"unknown agent; not in the catalog", "未知药物；不在药物目录中"),
    (
        r"a last dose is given for an agent not marked as given",
        "为未勾选使用的药物填写了末次给药日期",
    ),
    # the key file, at sign-in (store.keyslots.Keyring.problem)
    (
        r"the key file was changed outside Eligo \(its authentication code does not match\)",
        "密钥文件在 Eligo 之外被修改（其认证码不符）",
    ),
    (
        r"the key file's record of sign-in attempts was rolled back",
        "密钥文件中的登录尝试记录被回退",
    ),
    (
        r"the key file's record of sign-in attempts was reset outside Eligo \(this computer counted "
        r"(\d+) attempts, the key file (\d+)\)",
        "密钥文件中的登录尝试记录在 Eligo 之外被重置（本计算机记录了 {0} 次尝试，密钥文件记录了 {1} 次）",
    ),
]
# The strict parser's messages (rules/parsing.py), shown under a field when what was typed is not
# an answer (a date that is no day, a number with two points); parts joined by "; " are said one
# by one. "{0:v}" is a value as the parser describes it ("the text 'abc'", "one of 'a' or 'b'").
_MESSAGES += [
    (r"'(.*)' is not a date", "“{0}”不是日期"),
    (
        r"type it as YYYY-MM-DD, for example 2023-03-08 \(nothing else: no time of day\)",
        "请按 YYYY-MM-DD 格式填写，例如 2023-03-08（只填日期，不含时间）",
    ),
    (r"'(.*)' is not a calendar date \(no such day\)", "“{0}”不是有效日期（不存在该日）"),
    (
        r'must be a date written as text "YYYY-MM-DD" \(for example "2023-03-08"\), not (.*)',
        "必须是按 “YYYY-MM-DD” 格式书写的日期文本（例如 “2023-03-08”），而不是{0:v}",
    ),
    (
        r"must be yes or no \(true or false\), not (.*)",
        "必须为是或否（true 或 false），而不是{0:v}",
    ),
    (r"must be a finite number, not (.*)", "必须是有限数值，而不是{0:v}"),
    (r"'(.*)' is not a number", "“{0}”不是数字"),
    (
        r"give a number such as 7\.5 \(in a file: without quotes\)",
        "请填写数字，例如 7.5（在文件中不加引号）",
    ),
    (r"must be a number, not (.*)", "必须是数字，而不是{0:v}"),
    (r"must be text, not (.*)", "必须是文本，而不是{0:v}"),
    (r"must be a list \[ \.\.\. \], not (.*)", "必须是列表 [ ... ]，而不是{0:v}"),
    (r"must be an object \{ \.\.\. \}, not (.*)", "必须是对象 {{ ... }}，而不是{0:v}"),
    (r"'(.*)' is not allowed: codes are matched exactly", "“{0}”不是允许的值：代码须完全一致"),
    (r"(.*) is not allowed", "{0:v}不是允许的值"),
    (r"must be (one of .*|a number or .*)", "必须是{0:v}"),
    (r"[aA]llowed: (.*)", "允许的值：{0:v}"),
    (r"did you mean '(.*)'\? Allowed: (.*)", "是否应为“{0}”？允许的值：{1:v}"),
    (r"did you mean '(.*)'\?", "是否应为“{0}”？"),
    (r"codes are matched exactly: did you mean '(.*)'\?", "代码须完全一致：是否应为“{0}”？"),
    (r"unknown code '(.*)'", "未知代码“{0}”"),
    (
        r"'(.*)' is not a known code: codes are lower case letters, digits and _",
        "“{0}”不是已知代码：代码由小写字母、数字和 _ 组成",
    ),
    (r"is not a known field", "不是已知字段"),
    (r"appears more than once in the document", "在文档中出现了不止一次"),
    (r"give each field once", "每个字段只能填写一次"),
    (r"must be a JSON object", "必须是 JSON 对象"),
    (r"must be a JSON object \{ \.\.\. \}", "必须是 JSON 对象 {{ ... }}"),
    (
        r"is not UTF-8 text \(byte (\d+) cannot be read\)",
        "不是 UTF-8 文本（第 {0} 个字节无法读取）",
    ),
    (
        r"is not valid JSON: (.*) at line (\d+) column (\d+)",
        "不是有效的 JSON（第 {1} 行第 {2} 列）：{0}",
    ),
    (r"is not a question of the answers document", "不是答案文档中的问题"),
    # the store's checks of what a screen typed, and its failures to write
    (r"2 to 4 letters A-Z", "2至4个字母（A-Z）"),
    (r"female or male", "女或男"),
    (r"is required", "为必填项"),
    (r"2 to 12 capital letters or digits, such as PUMCH", "2至12个大写字母或数字，例如 PUMCH"),
    (r"set up the site before registering candidates", "请先设置研究中心，再登记受试者"),
    (r"this store already has a site", "此数据库已设置研究中心"),
    (
        r"already registered as (\S+): re-screen that candidate rather than registering them again",
        "已登记为 {0}：请对该受试者重新筛选，而不是再次登记",
    ),
    (r"'(.*)' exists already \(usernames are never reused\)", "“{0}”已存在（用户名不可重复使用）"),
    (r"choose one or more of (.*)", "请选择以下一项或多项：{0}"),
    (r"the first account must be an administrator", "第一个账户必须是管理员"),
    (
        r"the site needs an active administrator: make another account administrator first",
        "研究中心须有一名在用的管理员：请先将另一个账户设为管理员",
    ),
    (r"(\S+) is already active", "{0} 已处于启用状态"),
    (r"Wrong password\.", "密码错误。"),
    (r"Wrong recovery key\.", "恢复密钥错误。"),
    (
        r"'screen failure' needs an ineligible determination",
        "“筛选失败”需要判定结果为不符合入组条件",
    ),
    (
        r"an investigator has not yet confirmed this candidate's eligibility with a signature: enrol "
        r"after that",
        "研究者尚未签名确认该受试者的入组资格：请在确认后再入组",
    ),
    (
        r"is before the investigator's confirmation of eligibility on (\S+): enrol on or after that day",
        "早于研究者确认入组资格的日期 {0}：请在当日或之后入组",
    ),
    (
        r"This Eligo window is read-only: another Eligo holds the data for writing\.",
        "此 Eligo 窗口为只读：另一个 Eligo 正在写入这些数据。",
    ),
    (
        r"The Eligo data in (.*) is open for writing by (.*)\. Close that Eligo first, or open this one "
        r"read-only\.",
        "{0} 中的 Eligo 数据正由{1:w}写入。请先关闭那个 Eligo，或以只读方式打开本窗口。",
    ),
    (r"There is no Eligo store in (.*) yet\.", "{0} 中尚无 Eligo 数据库。"),
    (
        r"Eligo cannot write to (.*) \((.*)\)\. It can be opened read-only; nothing was changed\.",
        "Eligo 无法写入 {0}（{1:w}）。可以只读方式打开；未做任何更改。",
    ),
    (
        r"The database (.*) failed its check: (.*)\. The newest good backup is (.*); restore it with '(.*)'\.",
        "数据库 {0} 未通过检查：{1}。最新的完好备份为 {2}；可用“{3}”恢复。",
    ),
    (
        r"The database (.*) failed its check: (.*)\. No good backup was found\.",
        "数据库 {0} 未通过检查：{1}。未找到完好的备份。",
    ),
    (
        r"(The [a-z -]+) could not be saved \((.*)\)\. The previous state is kept\.",
        "{0:w}未能保存（{1:w}）。已保留之前的状态。",
    ),
]
# What a failed write was (StoreWriteError, store.transaction's names) and why, as SQLite says it.
_WRITES = {
    "The answer": "答案", "The outcome": "筛选结局", "The signature": "签名", "The screening": "筛选",
    "The candidate": "受试者", "The account": "账户", "The roles": "角色", "The password reset": "密码重置",
    "The new password": "新密码", "The deactivation": "停用", "The reactivation": "重新启用",
    "The idle lock setting": "闲置自动锁定设置", "The sign-in": "登录", "The sign-in attempt": "登录尝试",
    "The sign-in attempts": "登录尝试", "The site": "研究中心", "The trusted keys": "受信任的密钥",
    "The recovery key": "恢复密钥", "The recovery": "恢复", "The re-key": "更换数据密钥",
    "The checkpoint": "检查点", "The acknowledgement": "确认", "The import": "导入",
    "database or disk is full": "数据库或磁盘已满", "disk I/O error": "磁盘读写错误",
    "attempt to write a readonly database": "试图写入只读数据库", "another process": "另一个进程",
}  # fmt: skip
_FIELDS = {
    "password": "密码", "username": "用户名", "full name": "全名", "roles": "角色", "idle lock": "闲置自动锁定",
    "outcome": "筛选结局", "randomization number": "随机号", "enrollment date": "入组日期",
    "initials": "姓名缩写", "sex": "性别", "site": "研究中心", "site code": "研究中心代码",
    "site name": "研究中心名称", "principal investigator": "主要研究者", "medical record number": "病历号",
    "(document)": "（文档）",
}  # fmt: skip
_COMPILED = [(re.compile(pattern, re.DOTALL), zh) for pattern, zh in _LINES]
_COMPILED_MESSAGES = [(re.compile(pattern, re.DOTALL), zh) for pattern, zh in _MESSAGES]
_WITH_SEMICOLONS = [(p, zh) for p, zh in _COMPILED_MESSAGES if "; " in p.pattern]


def message_in(language: Language, message: str) -> str:
    """A check's message in `language`: 'password: must be at least 10 characters' ->
    '密码：至少需要 10 个字符'; several joined by '; ' each; one no pattern knows stays English."""
    if language == "en":
        return message
    for pattern, zh in _WITH_SEMICOLONS:  # the sentences that hold "; " themselves, whole
        found = pattern.fullmatch(message)
        if found:
            return zh.format(*(_Value(g) for g in found.groups()))
    if "; " in message:
        return "；".join(message_in(language, part) for part in message.split("; "))
    for pattern, zh in _COMPILED_MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return zh.format(*(_Value(g) for g in found.groups()))
    field, sep, problem = message.partition(": ")
    if sep and field in _FIELDS:
        return f"{_FIELDS[field]}：{message_in(language, problem)}"
    return message


class _Value(str):
    """A value taken from an English message: "{0}" keeps it as it is (what was typed, a code);
    "{0:v}" says it as the parser describes values; "{0:w}" names what a failed write was."""

    def __format__(self, spec: str) -> str:
        if spec == "v":
            return _described(str(self))
        if spec == "w":
            holder = re.fullmatch(r"process (\d+) on (.*)", str(self))  # who holds a store's lock
            if holder:
                return f"进程 {holder.group(1)}（计算机 {holder.group(2)}）"
            return _WRITES.get(str(self), str(self))
        return str(self)


_DESCRIBED = [
    (re.compile(r"the text '(.*)'", re.DOTALL), "文本“{0}”"),
    (re.compile(r"the number (.*)"), "数字 {0}"),
    (re.compile(r"one of (.*)", re.DOTALL), "以下之一：{0}"),
    (re.compile(r"a number or (.*)", re.DOTALL), "数字或 {0}"),
]


def _described(value: str) -> str:
    """'the text 'abc'' -> 文本“abc”; "'a', 'b' or 'c'" -> "'a'、'b' 或 'c'"."""
    plain = {"a list": "列表", "an object": "对象", "null": "空值（null）", "a number": "数字"}
    if value in plain:
        return plain[value]
    for pattern, zh in _DESCRIBED:
        found = pattern.fullmatch(value)
        if found:
            return zh.format(_listed(found.group(1)))
    return _listed(value)


def _listed(value: str) -> str:
    """Codes listed in English ("'a', 'b' or 'c'") listed in Chinese ("'a'、'b' 或 'c'")."""
    if not value.startswith("'"):
        return value
    return re.sub(r"', '", "'、'", value).replace("' or '", "' 或 '")


def line_in(language: Language, line: str) -> str:
    """One report line in `language`; the values inside are translated where they are lines
    themselves (a failure listed in a verdict)."""
    if language == "en":
        return line
    for pattern, zh in _COMPILED:
        found = pattern.fullmatch(line)
        if found:
            return zh.format(*(_inner(language, g) for g in found.groups()))
    return line


def known(line: str) -> bool:
    return any(pattern.fullmatch(line) for pattern, _ in _COMPILED)


def _inner(language: Language, value: str) -> str:
    if known(value) and not _is_bare_word(value):
        return line_in(language, value)
    if "; " in value:  # the failures listed in a verdict
        return "；".join(line_in(language, part) for part in value.split("; "))
    return value


def _is_bare_word(value: str) -> bool:
    return value in ("OK", "FAILED", "VALID")


def lines_in(language: Language, lines: Iterable[str]) -> list[str]:
    return [line_in(language, line) for line in lines]
