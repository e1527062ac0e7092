<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Eligo</source>
        <translation>关于 Eligo</translation>
    </message>
    <message>
        <source>Eligo version:</source>
        <translation>Eligo 版本：</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>试验方案：</translation>
    </message>
    <message>
        <source>Protocol sha256:</source>
        <translation>试验方案sha256：</translation>
    </message>
    <message>
        <source>Data directory:</source>
        <translation>数据目录：</translation>
    </message>
    <message>
        <source>SQLite library:</source>
        <translation>SQLite 库：</translation>
    </message>
    <message>
        <source>Network:</source>
        <translation>网络：</translation>
    </message>
    <message>
        <source>none: Eligo never opens a network connection</source>
        <translation>无：Eligo 从不建立网络连接</translation>
    </message>
    <message>
        <source>Site:</source>
        <translation>研究中心：</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>全名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>密钥指纹</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>&amp;New account…</source>
        <translation>新建账户(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Roles…</source>
        <translation>角色(&amp;R)…</translation>
    </message>
    <message>
        <source>New recovery &amp;key…</source>
        <translation>新建恢复密钥(&amp;K)…</translation>
    </message>
    <message>
        <source>Re-key the &amp;store…</source>
        <translation>更换数据库密钥(&amp;S)…</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>Make a new recovery key? The current one (the sheet in the site binder) stops working.</source>
        <translation>新建恢复密钥？当前的恢复密钥（研究者文件夹中的那张纸）将失效。</translation>
    </message>
    <message>
        <source>Re-key the store</source>
        <translation>更换数据库密钥</translation>
    </message>
    <message>
        <source>Give the store a new data key? A backup is taken first; every account keeps its password, and a copy of the old key opens nothing written from now on.</source>
        <translation>为数据库更换新的数据密钥？会先进行备份；所有账户的密码保持不变，旧密钥的副本无法打开此后写入的任何内容。</translation>
    </message>
    <message>
        <source>The store has a new data key.</source>
        <translation>数据库已更换新的数据密钥。</translation>
    </message>
    <message>
        <source>{0} account(s) that have not signed in since the upgrade need a password reset.</source>
        <translation>有 {0} 个账户自升级后尚未登录，需要重置密码。</translation>
    </message>
    <message>
        <source>locked until {0} (failed sign-ins)</source>
        <translation>锁定至 {0}（多次登录失败）</translation>
    </message>
    <message>
        <source>Select an account in the list first.</source>
        <translation>请先在列表中选择一个账户。</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>重新启用(&amp;A)</translation>
    </message>
    <message>
        <source>Deactivate {0}?</source>
        <translation>停用 {0}？</translation>
    </message>
    <message>
        <source>{0} ({1}) will no longer sign in or sign. Nothing they entered or signed changes, and an administrator can reactivate the account later.</source>
        <translation>{0}（{1}）将无法再登录或签名。其已录入或签名的内容均不会改变，管理员之后可以重新启用该账户。</translation>
    </message>
    <message>
        <source>minute</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>Saved: Eligo now locks after {0} without input.</source>
        <translation>已保存：无操作 {0}后 Eligo 将自动锁定。</translation>
    </message>
    <message>
        <source>{0} needs a new password</source>
        <translation>{0} 需要设置新密码</translation>
    </message>
    <message>
        <source>{0} is active again, but was deactivated before this store was encrypted, so their old password cannot open it. Set a new password for {0} now and give it to them in person?</source>
        <translation>{0} 已重新启用，但该账户在本数据库加密之前已被停用，因此其原密码无法打开数据库。现在为 {0} 设置新密码，并当面告知本人吗？</translation>
    </message>
    <message>
        <source>{0} cannot sign in until an administrator sets a new password (Reset password).</source>
        <translation>{0} 须待管理员设置新密码（重置密码）后才能登录。</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Reset &amp;password…</source>
        <translation>重置密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>停用(&amp;D)…</translation>
    </message>
    <message>
        <source>Lock after idle:</source>
        <translation>闲置自动锁定：</translation>
    </message>
    <message>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>AddAttachmentDialog</name>
    <message>
        <source>New version of an attachment</source>
        <translation>附件的新版本</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;File (PDF, PNG or JPEG, at most 20 MB):</source>
        <translation>文件（PDF、PNG 或 JPEG，不超过 20 MB）(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>标题(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Concerns:</source>
        <translation>涉及(&amp;C)：</translation>
    </message>
    <message>
        <source>Not attached: {0}</source>
        <translation>未添加附件：{0}</translation>
    </message>
    <message>
        <source>&amp;Attach</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Choose the scanned document</source>
        <translation>选择扫描文件</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.png *.jpg *.jpeg)</source>
        <translation>文档 (*.pdf *.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>file: choose the document to attach</source>
        <translation>文件：请选择要添加的文档</translation>
    </message>
    <message>
        <source>file: {0} is larger than 20 MB</source>
        <translation>文件：{0} 大于 20 MB</translation>
    </message>
    <message>
        <source>file: {0} cannot be read ({1})</source>
        <translation>文件：无法读取 {0}（{1}）</translation>
    </message>
</context>
<context>
    <name>AgentDates</name>
    <message>
        <source>Last dose of {0}</source>
        <translation>{0}末次给药日期</translation>
    </message>
</context>
<context>
    <name>AnnotationBar</name>
    <message>
        <source>Edit the note (Ctrl+Shift+N)</source>
        <translation>编辑备注（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>Add a note (Ctrl+Shift+N)</source>
        <translation>添加备注（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>Note on {0}</source>
        <translation>{0} 的备注</translation>
    </message>
    <message numerus="yes">
        <source>Open queries: %n</source>
        <translation>
            <numerusform>未回复的质疑：%n 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queries (%n), none open</source>
        <translation>
            <numerusform>质疑（%n 条），均已回复或关闭</numerusform>
        </translation>
    </message>
    <message>
        <source>Raise a query (Ctrl+Shift+Q)</source>
        <translation>发起质疑（Ctrl+Shift+Q）</translation>
    </message>
    <message>
        <source>Queries on {0}</source>
        <translation>{0} 的质疑</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>The bundled protocol could not be loaded.

{0}</source>
        <translation>无法加载内置的试验方案。

{0}</translation>
    </message>
    <message>
        <source>The database failed its check: {0}.

Nothing more can be saved here. Close Eligo and start it again: it checks the data first and offers to restore the newest good backup (the damaged file is kept aside).</source>
        <translation>数据库未通过检查：{0}。

此处无法再保存任何内容。请关闭 Eligo 并重新启动：程序会先检查数据，并提示恢复最新的完好备份（损坏的文件会另行保留）。</translation>
    </message>
    <message>
        <source>The store is now encrypted: it opens only with an Eligo password. A plaintext copy of the old store was kept at {0}. Check that the data is all there, then delete that copy: anyone who reads it sees every candidate&apos;s name.

An administrator should make a recovery key now (Account &gt; Accounts &gt; New recovery key).</source>
        <translation>数据库现已加密：只有使用 Eligo 密码才能打开。旧数据库的明文副本保存在 {0}。请确认数据完整后删除该副本：任何读取它的人都能看到所有受试者的姓名。

请管理员立即新建恢复密钥（账户 &gt; 账户管理 &gt; 新建恢复密钥）。</translation>
    </message>
    <message>
        <source>Warning: {0}. This was recorded in the audit trail; tell your administrator.</source>
        <translation>警示：{0}。此情况已记录在稽查轨迹中；请告知管理员。</translation>
    </message>
    <message>
        <source>{0}

Open read-only? You can look and print; changes and exports are made in the Eligo that holds the data.</source>
        <translation>{0}

以只读方式打开？您可以查看和打印；修改和导出须在占用该数据的 Eligo 中进行。</translation>
    </message>
    <message>
        <source>The database {0} failed its check: {1}.

Restore the newest good backup, {2}, now? The damaged file is kept aside.</source>
        <translation>数据库 {0} 未通过检查：{1}。

现在恢复最新的完好备份 {2} 吗？损坏的文件会另行保留。</translation>
    </message>
    <message>
        <source>An unexpected error occurred. Every answer saved before it is kept; the unsaved input of the field being edited may need entering again.

The details are in {0} for your administrator.</source>
        <translation>发生意外错误。此前已保存的所有回答均已保留；正在编辑的字段中未保存的内容可能需要重新输入。

详细信息已记录在 {0} 中，供管理员查看。</translation>
    </message>
</context>
<context>
    <name>AttachmentViewer</name>
    <message>
        <source>Attachment – {0}</source>
        <translation>附件 – {0}</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>This PDF cannot be shown ({0}).</source>
        <translation>无法显示此 PDF（{0}）。</translation>
    </message>
    <message>
        <source>This image cannot be shown ({0}).</source>
        <translation>无法显示此图像（{0}）。</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>Signed consent (scan)</source>
        <translation>已签署的知情同意书（扫描件）</translation>
    </message>
    <message>
        <source>Pathology report</source>
        <translation>病理报告</translation>
    </message>
    <message>
        <source>Imaging report</source>
        <translation>影像学检查报告</translation>
    </message>
    <message>
        <source>Laboratory sheet</source>
        <translation>实验室检查单</translation>
    </message>
    <message>
        <source>the screening</source>
        <translation>本次筛选</translation>
    </message>
</context>
<context>
    <name>AttachmentsDialog</name>
    <message>
        <source>Attachments of {0}, attempt {1}</source>
        <translation>{0} 的附件（第{1}次筛选）</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Concerns</source>
        <translation>涉及</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>&amp;Attach a file…</source>
        <translation>添加附件(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;New version…</source>
        <translation>上传新版本(&amp;N)…</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>移除(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Monitors open attachments; they do not change them</source>
        <translation>监查员（CRA）可打开附件，但不能修改</translation>
    </message>
    <message>
        <source>Opening a source document is recorded in the audit trail, which a read-only window cannot write to: open it where the store is not in use elsewhere</source>
        <translation>打开源文件会记录在稽查轨迹中，而只读窗口无法写入稽查轨迹：请在数据未被其他 Eligo 占用时打开</translation>
    </message>
    <message>
        <source>{0}, {1}</source>
        <translation>{0}，{1}</translation>
    </message>
    <message>
        <source>removed by {0}: {1}</source>
        <translation>由 {0} 移除：{1}</translation>
    </message>
    <message>
        <source>replaced by a new version</source>
        <translation>已被新版本替换</translation>
    </message>
    <message>
        <source>current (new version)</source>
        <translation>当前版本（新版本）</translation>
    </message>
    <message>
        <source>current</source>
        <translation>当前版本</translation>
    </message>
    <message>
        <source>Remove an attachment</source>
        <translation>移除附件</translation>
    </message>
    <message>
        <source>Why is “{0}” removed? (It stays in the store and in the history.)</source>
        <translation>为何移除“{0}”？（该附件仍保留在数据库和历史记录中。）</translation>
    </message>
    <message>
        <source>Not removed</source>
        <translation>未移除</translation>
    </message>
    <message>
        <source>Not opened</source>
        <translation>未打开</translation>
    </message>
    <message>
        <source>Opening a source document is recorded in the audit trail, which this window cannot write to: {0}</source>
        <translation>打开源文件会记录在稽查轨迹中，而此窗口无法写入稽查轨迹：{0}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; — {1}, concerning {2}&lt;br&gt;SHA-256 {3}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; — {1}，涉及 {2}&lt;br&gt;SHA-256 {3}</translation>
    </message>
</context>
<context>
    <name>AuditReviewDialog</name>
    <message>
        <source>Audit trail reviewed: {0} (attempt {1})</source>
        <translation>稽查轨迹审核：{0}（第{1}次筛选）</translation>
    </message>
    <message>
        <source>Reviewed &amp;from:</source>
        <translation>审核起始日期(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;to (inclusive):</source>
        <translation>截止日期（含当日）(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Comment (optional):</source>
        <translation>审核意见（可选）(&amp;C)：</translation>
    </message>
    <message>
        <source>{0} to {1}, reviewed by {2} on {3}</source>
        <translation>{0} 至 {1}，由 {2} 于 {3} 审核</translation>
    </message>
    <message>
        <source>No review of this audit trail is recorded yet.</source>
        <translation>尚无该稽查轨迹的审核记录。</translation>
    </message>
    <message>
        <source>Record that you reviewed every event of this screening&apos;s audit trail in this range of dates. The record is signed with your name and the time.</source>
        <translation>记录您已审核本次筛选在此日期范围内稽查轨迹中的每一条事件。该记录将以您的姓名和当前时间签署。</translation>
    </message>
    <message>
        <source>Earlier reviews:</source>
        <translation>既往审核：</translation>
    </message>
    <message>
        <source>Record the review</source>
        <translation>记录审核</translation>
    </message>
    <message>
        <source>{0}: {1} is not a calendar date (no such day)</source>
        <translation>{0}：{1} 不是有效的日历日期（不存在该日）</translation>
    </message>
    <message>
        <source>{0}: write it as YYYY-MM-DD, for example 2023-03-08</source>
        <translation>{0}：请按 YYYY-MM-DD 格式填写，例如 2023-03-08</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>To</source>
        <translation>截止日期</translation>
    </message>
</context>
<context>
    <name>AuditTrailDialog</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>From</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>To</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Details (codes as stored)</source>
        <translation>详细信息（按存储的代码）</translation>
    </message>
    <message>
        <source>Screening started</source>
        <translation>筛选开始</translation>
    </message>
    <message>
        <source>Answer: {0}</source>
        <translation>回答：{0}</translation>
    </message>
    <message>
        <source>Determination</source>
        <translation>判定结果</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>筛选结局</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>Signature invalidated</source>
        <translation>签名已失效</translation>
    </message>
    <message>
        <source>Warning acknowledged</source>
        <translation>警示已确认</translation>
    </message>
    <message>
        <source>Candidate registered</source>
        <translation>候选受试者已登记</translation>
    </message>
    <message>
        <source>Attachment added</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Attachment removed</source>
        <translation>移除附件</translation>
    </message>
    <message>
        <source>Attachment opened</source>
        <translation>打开附件</translation>
    </message>
    <message>
        <source>Note: {0}</source>
        <translation>备注：{0}</translation>
    </message>
    <message>
        <source>Query raised: {0}</source>
        <translation>发起质疑：{0}</translation>
    </message>
    <message>
        <source>Query answered: {0}</source>
        <translation>回复质疑：{0}</translation>
    </message>
    <message>
        <source>Query closed: {0}</source>
        <translation>关闭质疑：{0}</translation>
    </message>
    <message>
        <source>Query reopened: {0}</source>
        <translation>重新开启质疑：{0}</translation>
    </message>
    <message>
        <source>Audit trail reviewed: {0} to {1}</source>
        <translation>稽查轨迹已审核：{0} 至 {1}</translation>
    </message>
    <message>
        <source>Offered from the previous attempt: {0}</source>
        <translation>从上一次筛选带入：{0}</translation>
    </message>
    <message>
        <source>Carried answer confirmed: {0}</source>
        <translation>确认沿用的回答：{0}</translation>
    </message>
    <message>
        <source>Carried answer replaced: {0}</source>
        <translation>替换沿用的回答：{0}</translation>
    </message>
    <message>
        <source>Details (codes as stored): {0}</source>
        <translation>详细信息（按存储的代码）：{0}</translation>
    </message>
    <message>
        <source>key {0}</source>
        <translation>密钥 {0}</translation>
    </message>
    <message>
        <source>(not answered)</source>
        <translation>（未回答）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（尚无）</translation>
    </message>
    <message>
        <source>{0}, failing {1}</source>
        <translation>{0}，不符合 {1}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Audit trail of {0} (attempt {1})</source>
        <translation>{0} 的稽查轨迹（第{1}次筛选）</translation>
    </message>
</context>
<context>
    <name>CarriedBanner</name>
    <message>
        <source>C&amp;onfirm all carried answers on this step</source>
        <translation>确认本步骤所有沿用的回答(&amp;O)</translation>
    </message>
    <message>
        <source>{0} answer(s) on this step are carried from attempt {1}: check each, they count only once confirmed.</source>
        <translation>本步骤有 {0} 个回答沿用自第{1}次筛选：请逐一核对，确认后才计入。</translation>
    </message>
</context>
<context>
    <name>CarriedNote</name>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>From attempt {0}: confirm (not counted until confirmed)</source>
        <translation>沿用自第{0}次筛选：请确认（确认前不计入）</translation>
    </message>
    <message>
        <source>Confirm the answer carried from attempt {0}</source>
        <translation>确认沿用自第{0}次筛选的回答</translation>
    </message>
</context>
<context>
    <name>Choice</name>
    <message>
        <source>— not answered —</source>
        <translation>— 尚未回答 —</translation>
    </message>
    <message>
        <source>{1} points – {0}</source>
        <translation>{1}分 – {0}</translation>
    </message>
</context>
<context>
    <name>ConsolidatedDialog</name>
    <message>
        <source>Consolidated store (coordinating centre)</source>
        <translation>汇总库（组长单位）</translation>
    </message>
    <message>
        <source>&amp;Choose folder…</source>
        <translation>选择文件夹(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Import site bundle…</source>
        <translation>导入研究中心数据包(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Save the trial-wide log as PDF…</source>
        <translation>将全试验筛选日志另存为PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Print the trial-wide log…</source>
        <translation>打印全试验筛选日志(&amp;P)…</translation>
    </message>
    <message>
        <source>Print the selected screening&apos;s s&amp;ummary…</source>
        <translation>打印所选筛选的摘要(&amp;U)…</translation>
    </message>
    <message>
        <source>Save its summary as P&amp;DF…</source>
        <translation>将其摘要另存为PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>研究中心</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Latest bundle exported</source>
        <translation>最新导出的数据包</translation>
    </message>
    <message>
        <source>Exported by</source>
        <translation>导出人</translation>
    </message>
    <message>
        <source>Signer key</source>
        <translation>签名者密钥</translation>
    </message>
    <message>
        <source>Screenings</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>研究中心</translation>
    </message>
    <message>
        <source>Search screening number</source>
        <translation>搜索筛选号</translation>
    </message>
    <message>
        <source>Search the trial-wide log</source>
        <translation>搜索全试验筛选日志</translation>
    </message>
    <message>
        <source>Trial-wide screening log</source>
        <translation>全试验筛选日志</translation>
    </message>
    <message>
        <source>Import results</source>
        <translation>导入结果</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cannot open the consolidated store: {0}</source>
        <translation>无法打开汇总库：{0}</translation>
    </message>
    <message>
        <source>(none chosen)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <source>Administrators and monitors import site bundles.</source>
        <translation>由管理员和监查员（CRA）导入研究中心数据包。</translation>
    </message>
    <message>
        <source>trusted</source>
        <translation>受信任</translation>
    </message>
    <message>
        <source>not trusted</source>
        <translation>不受信任</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <source>Choose the folder of the consolidated store first: the one used before, or an empty folder to start a new one. Then import the sites&apos; bundles.</source>
        <translation>请先选择汇总库所在的文件夹：之前使用的文件夹，或一个空文件夹以新建汇总库。然后导入各研究中心的数据包。</translation>
    </message>
    <message>
        <source>No bundle imported yet.</source>
        <translation>尚未导入任何数据包。</translation>
    </message>
    <message>
        <source>Across {0} site(s): assessed {1}; excluded as not meeting criteria {2}, declined {3}, other {4}; enrolled {5}.</source>
        <translation>共 {0} 个研究中心：评估入组资格 {1} 例；排除：不符合入选标准 {2} 例，拒绝参加 {3} 例，其他原因 {4} 例；已入组 {5} 例。</translation>
    </message>
    <message>
        <source>Folder of the consolidated store</source>
        <translation>汇总库文件夹</translation>
    </message>
    <message>
        <source>Import site bundles</source>
        <translation>导入研究中心数据包</translation>
    </message>
    <message>
        <source>Nothing to print: no bundle imported yet.</source>
        <translation>无可打印内容：尚未导入任何数据包。</translation>
    </message>
    <message>
        <source>Saved {0}.</source>
        <translation>已保存 {0}。</translation>
    </message>
    <message>
        <source>Select a screening in the trial-wide log first.</source>
        <translation>请先在全试验筛选日志中选择一条筛选记录。</translation>
    </message>
</context>
<context>
    <name>DrugPicker</name>
    <message>
        <source>Find: type a generic, brand or Chinese name</source>
        <translation>查找：输入通用名、商品名或中文名</translation>
    </message>
    <message>
        <source>Find a medication</source>
        <translation>查找药物</translation>
    </message>
    <message>
        <source>Up and Down choose among the matches, Enter ticks or unticks, Escape clears</source>
        <translation>↑/↓ 键在匹配项中选择，Enter 键勾选或取消勾选，Esc 键清空</translation>
    </message>
    <message>
        <source>No agent of the list has this name: add it below as an agent not in the list.</source>
        <translation>列表中没有此名称的药物：请在下方将其添加为列表外药物。</translation>
    </message>
    <message>
        <source>{0} (as {1})</source>
        <translation>{0}（匹配名称：{1}）</translation>
    </message>
    <message>
        <source>ticked</source>
        <translation>已勾选</translation>
    </message>
    <message>
        <source>not ticked</source>
        <translation>未勾选</translation>
    </message>
    <message>
        <source>{0} match(es); Enter ticks or unticks: {1}, {2}</source>
        <translation>{0} 个匹配项；按 Enter 键勾选或取消勾选：{1}，{2}</translation>
    </message>
</context>
<context>
    <name>ErrorLine</name>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a signed bundle</source>
        <translation>导出签名数据包</translation>
    </message>
    <message>
        <source>The screening log of site {0}: {1} screening attempt(s), de-identified, as CSV, JSON, CDISC ODM 1.3.2, FHIR R4 and the printed log (PDF), with the audit trail. No names, medical record numbers or full dates of birth. Signed with your key, so that the sponsor can check who exported it and that nothing in it was changed.</source>
        <translation>研究中心 {0} 的筛选日志：{1} 次筛选，已去标识化，格式为 CSV、JSON、CDISC ODM 1.3.2、FHIR R4 及打印版日志（PDF），并附稽查轨迹。不含姓名、病案号或完整的出生日期。数据包以您的密钥签名，申办者可据此核实导出人及内容未被修改。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>key {0}</source>
        <translation>密钥 {0}</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>Signed by:</source>
        <translation>签名人：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Not exported: {0}</source>
        <translation>未导出：{0}</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>File: give the name of the file to write.</source>
        <translation>文件：请填写要写入的文件名。</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>替换该文件？</translation>
    </message>
    <message>
        <source>{0} already exists. Replace it with this export?</source>
        <translation>{0} 已存在。是否用本次导出替换它？</translation>
    </message>
    <message>
        <source>Exporting to {0}…</source>
        <translation>正在导出到 {0}…</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <source>the export was cancelled; no file was written.</source>
        <translation>导出已取消；未写入任何文件。</translation>
    </message>
    <message>
        <source>The printed log: page {0} of {1}…</source>
        <translation>打印版筛选日志：第 {0} 页，共 {1} 页…</translation>
    </message>
    <message>
        <source>The bundle&apos;s files: step {0} of {1}…</source>
        <translation>数据包文件：第 {0} 步，共 {1} 步…</translation>
    </message>
    <message>
        <source>Exported {0} screening attempt(s) to {1}, signed.</source>
        <translation>已将 {0} 次筛选导出至 {1}，并已签名。</translation>
    </message>
    <message>
        <source>{0}

Signed by {1} with key {2}. The sponsor checks the file with Eligo&apos;s Verify a bundle, against your public key (Account &gt; Export my public key).</source>
        <translation>{0}

由 {1} 以密钥 {2} 签名。申办者可使用 Eligo 的“验证数据包”功能，以您的公钥（账户 &gt; 导出我的公钥）核验该文件。</translation>
    </message>
</context>
<context>
    <name>FirstPaintWindow</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
</context>
<context>
    <name>FirstRunPanel</name>
    <message>
        <source>Create acc&amp;ounts…</source>
        <translation>创建账户(&amp;O)…</translation>
    </message>
    <message>
        <source>Start the first scr&amp;eening…</source>
        <translation>开始第一例筛选(&amp;E)…</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Welcome to Eligo&lt;/h3&gt;No screening is recorded in this store yet. To begin:&lt;ol&gt;&lt;li&gt;An administrator creates an account for each coordinator and investigator (Account &amp;gt; Accounts…). Everyone signs in with their own name.&lt;/li&gt;&lt;li&gt;A coordinator starts a screening (Screening &amp;gt; New screening…, Ctrl+N) and answers its steps; every answer is saved as it is entered.&lt;/li&gt;&lt;li&gt;The investigator confirms eligibility with a signature on the review.&lt;/li&gt;&lt;/ol&gt;Help &amp;gt; User guide explains each step.</source>
        <translation>&lt;h3&gt;欢迎使用 Eligo&lt;/h3&gt;本数据库中尚未记录任何筛选。开始步骤：&lt;ol&gt;&lt;li&gt;管理员为每位临床研究协调员和研究者创建账户（账户 &amp;gt; 账户管理…）。每人以本人姓名登录。&lt;/li&gt;&lt;li&gt;临床研究协调员开始筛选（筛选 &amp;gt; 新建筛选…，Ctrl+N）并逐步回答；每个回答在录入时即保存。&lt;/li&gt;&lt;li&gt;研究者在审核页签名确认入选资格。&lt;/li&gt;&lt;/ol&gt;帮助 &amp;gt; 用户指南说明了每个步骤。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Eligo is locked</source>
        <translation>Eligo 已锁定</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Sign in as someone else</source>
        <translation>以其他用户登录</translation>
    </message>
    <message>
        <source>Every answer entered so far is saved.</source>
        <translation>目前录入的所有回答均已保存。</translation>
    </message>
    <message>
        <source>Signed in: {0} ({1})</source>
        <translation>已登录：{0}（{1}）</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>Screening number</source>
        <translation>筛选号</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>姓名缩写</translation>
    </message>
    <message>
        <source>Screening date</source>
        <translation>筛选日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Failing criteria</source>
        <translation>未通过的标准</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>临床研究协调员（CRC）</translation>
    </message>
    <message>
        <source>Investigator sign-off</source>
        <translation>研究者签字确认</translation>
    </message>
    <message>
        <source>Signature note</source>
        <translation>签名备注</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>信息不全</translation>
    </message>
    <message>
        <source>eligible</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>ineligible</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>拒绝参加</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>入组前退出</translation>
    </message>
    <message>
        <source>TAMPERED</source>
        <translation>已被篡改</translation>
    </message>
    <message>
        <source>This record is not what its audit trail records: run db check.</source>
        <translation>该记录与其稽查轨迹的记录不一致：请运行 db check。</translation>
    </message>
    <message>
        <source>{0} (no answers)</source>
        <translation>{0}（无回答）</translation>
    </message>
    <message>
        <source>— started {0}</source>
        <translation>— 开始于 {0}</translation>
    </message>
    <message>
        <source>signature invalidated on {0} by {1}: {2}</source>
        <translation>签名已于 {0} 由 {1} 作废：{2}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Use the &amp;recovery key…</source>
        <translation>使用恢复密钥(&amp;R)…</translation>
    </message>
    <message>
        <source>Sign in to Eligo</source>
        <translation>登录 Eligo</translation>
    </message>
    <message>
        <source>Opening the store…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Language / 语言:</source>
        <translation>Language / 语言：</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>DEMO store, sample data only. Sample accounts (username, password):</source>
        <translation>DEMO 数据库，仅含示例数据。示例账户（用户名，密码）：</translation>
    </message>
    <message>
        <source>The sign-in could not be recorded: {0}</source>
        <translation>无法记录本次登录：{0}</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Eligo – {0}</source>
        <translation>Eligo – {0}</translation>
    </message>
    <message>
        <source>Registry id:</source>
        <translation>注册号：</translation>
    </message>
    <message>
        <source>Sponsor:</source>
        <translation>申办者：</translation>
    </message>
    <message>
        <source>Phase:</source>
        <translation>分期：</translation>
    </message>
    <message>
        <source>Protocol version:</source>
        <translation>方案版本号：</translation>
    </message>
    <message>
        <source>Protocol sha256:</source>
        <translation>试验方案sha256：</translation>
    </message>
    <message>
        <source>Registered end date:</source>
        <translation>注册的试验结束日期：</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Registry wording</source>
        <translation>注册原文</translation>
    </message>
    <message>
        <source>Eligibility criteria</source>
        <translation>入排标准</translation>
    </message>
    <message>
        <source>Screening &amp;log</source>
        <translation>筛选日志(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Protocol</source>
        <translation>试验方案(&amp;P)</translation>
    </message>
    <message>
        <source>no site set up yet</source>
        <translation>尚未设置研究中心</translation>
    </message>
    <message>
        <source>read-only: another Eligo is writing</source>
        <translation>只读：另一个 Eligo 正在写入</translation>
    </message>
    <message>
        <source>SQLite {0}</source>
        <translation>SQLite {0}</translation>
    </message>
    <message>
        <source>DEMO – sample data, not real patients</source>
        <translation>DEMO – 示例数据，并非真实患者</translation>
    </message>
    <message>
        <source>Eligo {0} – offline</source>
        <translation>Eligo {0} – 离线</translation>
    </message>
    <message>
        <source>Phase 4</source>
        <translation>IV期</translation>
    </message>
    <message>
        <source>Eligo – {0} – {1}</source>
        <translation>Eligo – {0} – {1}</translation>
    </message>
    <message>
        <source>Data: {0}</source>
        <translation>数据：{0}</translation>
    </message>
    <message>
        <source>DEMO</source>
        <translation>DEMO</translation>
    </message>
    <message>
        <source>&amp;Screening</source>
        <translation>筛选(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;New screening…</source>
        <translation>新建筛选(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Continue the selected screening</source>
        <translation>继续所选筛选(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Re-screen the selected candidate</source>
        <translation>重新筛选所选受试者(&amp;R)</translation>
    </message>
    <message>
        <source>Record the &amp;outcome…</source>
        <translation>记录筛选结局(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Audit trail of the selected screening…</source>
        <translation>所选筛选的稽查轨迹(&amp;A)…</translation>
    </message>
    <message>
        <source>Attac&amp;hments of the selected screening…</source>
        <translation>所选筛选的附件(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;About Eligo</source>
        <translation>关于 Eligo(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Print the summary of the selected screening…</source>
        <translation>打印所选筛选的摘要(&amp;P)…</translation>
    </message>
    <message>
        <source>Save the summary as P&amp;DF…</source>
        <translation>将摘要另存为PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>Print the screening &amp;log…</source>
        <translation>打印筛选日志(&amp;L)…</translation>
    </message>
    <message>
        <source>Save the screening log as PD&amp;F…</source>
        <translation>将筛选日志另存为PDF(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Export a signed bundle…</source>
        <translation>导出签名数据包(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Verify a bundle…</source>
        <translation>验证数据包(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;Trusted keys…</source>
        <translation>受信任的密钥(&amp;T)…</translation>
    </message>
    <message>
        <source>Consolidated store (&amp;coordinating centre)…</source>
        <translation>汇总库（组长单位）(&amp;C)…</translation>
    </message>
    <message>
        <source>Use US &amp;Letter paper (A4 otherwise)</source>
        <translation>使用美国 Letter 纸张（否则为A4）(&amp;L)</translation>
    </message>
    <message>
        <source>Audit trail re&amp;viewed…</source>
        <translation>记录稽查轨迹审核(&amp;V)…</translation>
    </message>
    <message>
        <source>Screening</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出程序(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>账户(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Lock now</source>
        <translation>立即锁定(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;My account and password…</source>
        <translation>我的账户和密码(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Accounts… (administrators)</source>
        <translation>账户管理（管理员）(&amp;A)…</translation>
    </message>
    <message>
        <source>Export my &amp;public key…</source>
        <translation>导出我的公钥(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>用户指南(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Signed in: {0} ({1})</source>
        <translation>已登录：{0}（{1}）</translation>
    </message>
    <message>
        <source>Monitors read screenings and raise queries; they do not enter them</source>
        <translation>监查员（CRA）可查阅筛选记录并发起质疑，但不录入筛选</translation>
    </message>
    <message>
        <source>Monitors verify bundles; they do not export</source>
        <translation>监查员（CRA）验证数据包，不导出数据包</translation>
    </message>
    <message>
        <source>Read-only: another Eligo is writing to this data</source>
        <translation>只读：另一个 Eligo 正在写入这些数据</translation>
    </message>
    <message>
        <source>Restart Eligo?</source>
        <translation>重新启动 Eligo？</translation>
    </message>
    <message>
        <source>The screens change to the language you chose once Eligo starts again. Every answer is saved. Restart now?</source>
        <translation>Eligo 重新启动后，界面将切换为您选择的语言。所有回答均已保存。现在重新启动吗？</translation>
    </message>
    <message>
        <source>TAMPERED</source>
        <translation>已被篡改</translation>
    </message>
    <message>
        <source>This store does not match its audit trail.</source>
        <translation>该数据库与其稽查轨迹不一致。</translation>
    </message>
    <message>
        <source>This store does not match its audit trail: {0} value(s) differ from what the audit trail records, in {1} screening(s), which the log marks TAMPERED.

First: {2}

Exports are refused until this is resolved. Ask your administrator to run db check, which names every difference, and to restore the newest good backup.</source>
        <translation>该数据库与其稽查轨迹不一致：有 {0} 个值与稽查轨迹的记录不同，涉及 {1} 条筛选，日志中已标记为“已被篡改”。

第一处：{2}

在解决之前将拒绝导出。请管理员运行 db check（会列出每一处差异），并恢复最新的完好备份。</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <source>{0} screenings: {1}</source>
        <translation>{0} 条筛选：{1}</translation>
    </message>
    <message>
        <source>Not re-screened</source>
        <translation>未重新筛选</translation>
    </message>
    <message>
        <source>Re-screen {0}?</source>
        <translation>重新筛选 {0}？</translation>
    </message>
    <message>
        <source>Start screening attempt {0} of {1}? Attempt {2} stays as it is recorded ({3}).</source>
        <translation>开始 {1} 的第{0}次筛选？第{2}次筛选保持原有记录不变（{3}）。</translation>
    </message>
    <message>
        <source>Start from attempt {0}?</source>
        <translation>沿用第{0}次筛选的回答？</translation>
    </message>
    <message>
        <source>The date of birth and sex are taken from attempt {0}. Also offer its other answers that are not time-bound (laboratory results, imaging, test dates, the pregnancy test and consent are never copied)? Each is marked &apos;from attempt {0}&apos; and counts only once you confirm it.</source>
        <translation>出生日期和性别取自第{0}次筛选。是否同时带入该次筛选中其他不受时间限制的回答（实验室检查结果、影像学检查、检查日期、妊娠试验和知情同意从不复制）？每个带入的回答均标记为“沿用自第{0}次筛选”，经您确认后才计入。</translation>
    </message>
    <message>
        <source>Select a screening in the log first.</source>
        <translation>请先在日志中选择一条筛选记录。</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
</context>
<context>
    <name>MissingCodes</name>
    <message>
        <source>or:</source>
        <translation>或：</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
</context>
<context>
    <name>MultiChoice</name>
    <message>
        <source>None of these</source>
        <translation>以上均无</translation>
    </message>
    <message>
        <source>Up and Down move in the list, End goes to None of these, typing goes to an option</source>
        <translation>上下方向键在列表中移动，End 键跳到“以上均无”，输入文字跳到对应选项</translation>
    </message>
</context>
<context>
    <name>MyAccountDialog</name>
    <message>
        <source>My account</source>
        <translation>我的账户</translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation>至少10个字符</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Signing key fingerprint:</source>
        <translation>签名密钥指纹：</translation>
    </message>
    <message>
        <source>Current password:</source>
        <translation>当前密码：</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>New password again:</source>
        <translation>再次输入新密码：</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>new password: the two entries differ</source>
        <translation>新密码：两次输入不一致</translation>
    </message>
</context>
<context>
    <name>NewAccountDialog</name>
    <message>
        <source>New account</source>
        <translation>新建账户</translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation>至少10个字符</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Full name (printed):</source>
        <translation>全名（打印用）：</translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>First password:</source>
        <translation>初始密码：</translation>
    </message>
</context>
<context>
    <name>NewScreeningDialog</name>
    <message>
        <source>New screening</source>
        <translation>新建筛选</translation>
    </message>
    <message>
        <source>Candidate &amp;initials:</source>
        <translation>受试者姓名缩写(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Medical record number (kept on this machine only):</source>
        <translation>病案号（仅保存在本机）(&amp;M)：</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Note: {0}</source>
        <translation>备注：{0}</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Reason for the edit</source>
        <translation>编辑原因</translation>
    </message>
    <message>
        <source>This screening has been signed: &amp;reason for editing the note:</source>
        <translation>本次筛选已签名：编辑备注的原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Version {0}, {1}, {2}: {3}</source>
        <translation>第{0}版，{1}，{2}：{3}</translation>
    </message>
    <message>
        <source> (reason: {0})</source>
        <translation>（原因：{0}）</translation>
    </message>
    <message>
        <source>Earlier versions (kept):</source>
        <translation>既往版本（已保留）：</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>保存备注</translation>
    </message>
</context>
<context>
    <name>OtherMedications</name>
    <message>
        <source>Biologic (E5)</source>
        <translation>生物制剂（E5）</translation>
    </message>
    <message>
        <source>Non-biologic DMARD or immunosuppressant (E6)</source>
        <translation>非生物DMARD或免疫抑制剂（E6）</translation>
    </message>
    <message>
        <source>Glucocorticoid (neither)</source>
        <translation>糖皮质激素（不计入E5或E6）</translation>
    </message>
    <message>
        <source>NSAID (neither)</source>
        <translation>非甾体抗炎药（不计入E5或E6）</translation>
    </message>
    <message>
        <source>Other (neither)</source>
        <translation>其他（不计入E5或E6）</translation>
    </message>
    <message>
        <source>Add an agent not in the list</source>
        <translation>添加列表外药物</translation>
    </message>
    <message>
        <source>agent name</source>
        <translation>药物名称</translation>
    </message>
    <message>
        <source>Agent name</source>
        <translation>药物名称</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>归类</translation>
    </message>
    <message>
        <source>— classify —</source>
        <translation>— 请归类 —</translation>
    </message>
    <message>
        <source>last dose YYYY-MM-DD</source>
        <translation>末次给药 YYYY-MM-DD</translation>
    </message>
    <message>
        <source>Last dose</source>
        <translation>末次给药日期</translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <source>Enrolled (randomization number and date)</source>
        <translation>已入组（随机号和日期）</translation>
    </message>
    <message>
        <source>Eligible but declined</source>
        <translation>符合条件但拒绝参加</translation>
    </message>
    <message>
        <source>Screen failure</source>
        <translation>筛选失败</translation>
    </message>
    <message>
        <source>Withdrawn before enrollment</source>
        <translation>入组前退出</translation>
    </message>
    <message>
        <source>Outcome of {0}</source>
        <translation>{0} 的筛选结局</translation>
    </message>
    <message>
        <source>— choose the outcome —</source>
        <translation>— 请选择筛选结局 —</translation>
    </message>
    <message>
        <source>Determination:</source>
        <translation>判定结果：</translation>
    </message>
    <message>
        <source>no investigator yet (enrolment waits for the signature)</source>
        <translation>尚无研究者签名（入组须待签名后进行）</translation>
    </message>
    <message>
        <source>Eligibility confirmed by:</source>
        <translation>入组资格确认人：</translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation>筛选结局(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Randomization number:</source>
        <translation>随机号(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Enrollment date:</source>
        <translation>入组日期(&amp;E)：</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>needs an eligible determination confirmed by the investigator&apos;s signature</source>
        <translation>需要经研究者签名确认的“合格”判定</translation>
    </message>
    <message>
        <source>needs an eligible determination</source>
        <translation>需要“合格”判定</translation>
    </message>
    <message>
        <source>needs an ineligible determination</source>
        <translation>需要“不合格”判定</translation>
    </message>
    <message>
        <source>Outcome: choose one</source>
        <translation>筛选结局：请选择一项</translation>
    </message>
    <message>
        <source>Enrollment date: write it as YYYY-MM-DD, for example 2023-03-08</source>
        <translation>入组日期：请按 YYYY-MM-DD 格式填写，例如 2023-03-08</translation>
    </message>
    <message>
        <source>Enrollment date: {0} is not a calendar date (no such day)</source>
        <translation>入组日期：{0} 不是有效的日历日期（不存在该日）</translation>
    </message>
</context>
<context>
    <name>PrintProgress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>正在打印</translation>
    </message>
    <message>
        <source>Page {0} of {1}…</source>
        <translation>第{0}页/共{1}页…</translation>
    </message>
</context>
<context>
    <name>Printout</name>
    <message>
        <source>Printed in English. Codes and criterion ids (I1-I4, E1-E9) are language-neutral: they mean the same in every language of this printout.</source>
        <translation>本打印件语言：简体中文。代码与标准编号（I1–I4、E1–E9）与语言无关，在本打印件的各语言版本中含义相同。</translation>
    </message>
    <message>
        <source>protocol version {0}</source>
        <translation>方案版本号 {0}</translation>
    </message>
    <message>
        <source>Site: {0}</source>
        <translation>研究中心：{0}</translation>
    </message>
    <message>
        <source>Principal investigator: {0}</source>
        <translation>主要研究者（PI）：{0}</translation>
    </message>
    <message>
        <source>Screening performed by</source>
        <translation>筛选执行人</translation>
    </message>
    <message>
        <source>Eligibility confirmed by investigator</source>
        <translation>研究者确认入组资格</translation>
    </message>
    <message>
        <source>{0} {1}, {2}, key {3}</source>
        <translation>{0}：{1}，{2}，密钥 {3}</translation>
    </message>
    <message>
        <source>signature invalidated on {0} by {1}: {2}</source>
        <translation>签名已于 {0} 由 {1} 作废：{2}</translation>
    </message>
    <message>
        <source>TAMPERED: the stored signature does not verify</source>
        <translation>已被篡改：保存的签名验证未通过</translation>
    </message>
    <message>
        <source>TAMPERED: the record was changed after it was signed</source>
        <translation>已被篡改：记录在签名后被修改</translation>
    </message>
    <message>
        <source>TAMPERED: the record is not what its audit trail records</source>
        <translation>已被篡改：记录与其稽查轨迹的记录不一致</translation>
    </message>
    <message>
        <source>TAMPERED: the record no longer matches its signature</source>
        <translation>已被篡改：记录与其签名不再一致</translation>
    </message>
    <message>
        <source>Note: this screening was determined under protocol {0} version {1} (sha256 {2}); the labels below are those of version {3} ({4}).</source>
        <translation>注：本次筛选依据试验方案 {0} 版本 {1}（sha256 {2}）作出判定；下列标签取自版本 {3}（{4}）。</translation>
    </message>
    <message>
        <source>Screening {0} (attempt {1})</source>
        <translation>筛选 {0}（第{1}次筛选）</translation>
    </message>
    <message>
        <source>Consent: {0}, form version {1} · Screening date: {2} · Initials: {3}</source>
        <translation>知情同意：{0}，知情同意书版本号 {1} · 筛选日期：{2} · 姓名缩写：{3}</translation>
    </message>
    <message>
        <source>Answers given a missing-data code</source>
        <translation>使用缺失数据代码的回答</translation>
    </message>
    <message>
        <source>{0} {1} mg/day = prednisone {2} mg/day (limit {3} mg/day: {4})</source>
        <translation>{0} {1} mg/d = 泼尼松 {2} mg/d（上限 {3} mg/d：{4}）</translation>
    </message>
    <message>
        <source>within</source>
        <translation>未超过</translation>
    </message>
    <message>
        <source>above</source>
        <translation>超过</translation>
    </message>
    <message>
        <source>Glucocorticoid conversion</source>
        <translation>糖皮质激素剂量换算</translation>
    </message>
    <message>
        <source>Determination: {0}</source>
        <translation>判定结果：{0}</translation>
    </message>
    <message>
        <source>acknowledged by {0} at {1}</source>
        <translation>已由 {0} 于 {1} 确认</translation>
    </message>
    <message>
        <source>NOT acknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Signature:</source>
        <translation>签名：</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <source>; note: {0}</source>
        <translation>；备注：{0}</translation>
    </message>
    <message>
        <source>Enrolled: randomization number {0}, enrollment date {1}</source>
        <translation>已入组：随机号 {0}，入组日期 {1}</translation>
    </message>
    <message>
        <source>Eligible but declined</source>
        <translation>符合条件但拒绝参加</translation>
    </message>
    <message>
        <source>Screen failure</source>
        <translation>筛选失败</translation>
    </message>
    <message>
        <source>Withdrawn before enrollment</source>
        <translation>入组前退出</translation>
    </message>
    <message>
        <source>Not recorded yet</source>
        <translation>尚未记录</translation>
    </message>
    <message>
        <source>SIGNATURE INVALIDATED</source>
        <translation>签名已作废</translation>
    </message>
    <message>
        <source>UNSIGNED DRAFT</source>
        <translation>未签名草稿</translation>
    </message>
    <message>
        <source>No determination yet.</source>
        <translation>尚无判定结果。</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Electronic signatures</source>
        <translation>电子签名</translation>
    </message>
    <message>
        <source>Investigator (wet ink)</source>
        <translation>研究者（手写签名）</translation>
    </message>
    <message>
        <source>Outcome after screening</source>
        <translation>筛选后结局</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Answer and evidence</source>
        <translation>回答与依据</translation>
    </message>
    <message>
        <source>Criteria</source>
        <translation>入排标准</translation>
    </message>
    <message>
        <source>2019 ACR/EULAR worksheet</source>
        <translation>2019年ACR/EULAR分类标准评分表</translation>
    </message>
    <message>
        <source>Screening and enrollment log</source>
        <translation>筛选与入组日志</translation>
    </message>
    <message>
        <source>End of log.</source>
        <translation>日志结束。</translation>
    </message>
    <message>
        <source>CONSORT counts</source>
        <translation>CONSORT计数</translation>
    </message>
    <message>
        <source>TAMPERED</source>
        <translation>已被篡改</translation>
    </message>
    <message>
        <source>ELIGIBLE</source>
        <translation>符合入组条件</translation>
    </message>
    <message>
        <source>INELIGIBLE</source>
        <translation>不符合入组条件</translation>
    </message>
    <message>
        <source>INCOMPLETE</source>
        <translation>信息不全</translation>
    </message>
    <message>
        <source>met</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>不符合</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>present</source>
        <translation>存在</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>不存在</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>enrolled {0} {1}</source>
        <translation>已入组 {0} {1}</translation>
    </message>
    <message>
        <source>eligible but declined</source>
        <translation>符合条件但拒绝参加</translation>
    </message>
    <message>
        <source>screen failure</source>
        <translation>筛选失败</translation>
    </message>
    <message>
        <source>withdrawn before enrollment</source>
        <translation>入组前退出</translation>
    </message>
    <message>
        <source>not answered</source>
        <translation>尚未回答</translation>
    </message>
    <message>
        <source>none present</source>
        <translation>均不存在</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>领域</translation>
    </message>
    <message>
        <source>Item chosen</source>
        <translation>所选条目</translation>
    </message>
    <message>
        <source>Evidence (IgG4/ULN ratio, staining cell)</source>
        <translation>依据（IgG4/ULN比值，染色评分单元格）</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Entry criterion: {0} · Exclusion items: {1}</source>
        <translation>入围标准：{0} · 排除条目：{1}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Total&lt;/b&gt; (classified at ≥ {0})</source>
        <translation>&lt;b&gt;总分&lt;/b&gt;（≥{0}分符合分类标准）</translation>
    </message>
    <message>
        <source>Y</source>
        <translation>是</translation>
    </message>
    <message>
        <source>N</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Screening number</source>
        <translation>筛选号</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>姓名缩写</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Consent (date, version)</source>
        <translation>知情同意（日期，版本号）</translation>
    </message>
    <message>
        <source>Screening date</source>
        <translation>筛选日期</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>是否合格</translation>
    </message>
    <message>
        <source>Reasons (criterion ids)</source>
        <translation>原因（标准编号）</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>筛选结局</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>临床研究协调员（CRC）</translation>
    </message>
    <message>
        <source>Investigator sign-off</source>
        <translation>研究者签字确认</translation>
    </message>
    <message>
        <source>TAMPERED: {0} screening(s) below are not what the audit trail records (marked TAMPERED)</source>
        <translation>已被篡改：下列 {0} 条筛选与稽查轨迹的记录不一致（已标记为“已被篡改”）</translation>
    </message>
    <message>
        <source>Assessed for eligibility</source>
        <translation>评估入组资格</translation>
    </message>
    <message>
        <source>Excluded: not meeting criteria</source>
        <translation>排除：不符合入选标准</translation>
    </message>
    <message>
        <source>Excluded: declined</source>
        <translation>排除：拒绝参加</translation>
    </message>
    <message>
        <source>Excluded: other (withdrawn or not concluded)</source>
        <translation>排除：其他原因（退出或未完成）</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <source>Assessed for eligibility
(n = {0})</source>
        <translation>评估入组资格
（n = {0}）</translation>
    </message>
    <message>
        <source>Excluded (n = {0})
• Not meeting criteria (n = {1}): {2}
• Declined (n = {3})
• Other: withdrawn or not concluded (n = {4})</source>
        <translation>排除（n = {0}）
• 不符合入选标准（n = {1}）：{2}
• 拒绝参加（n = {3}）
• 其他原因：退出或未完成（n = {4}）</translation>
    </message>
    <message>
        <source>Enrolled
(n = {0})</source>
        <translation>已入组
（n = {0}）</translation>
    </message>
    <message>
        <source>CONSORT flow of the screening log</source>
        <translation>筛选日志CONSORT流程图</translation>
    </message>
    <message>
        <source>Page {0} of {1}</source>
        <translation>第{0}页/共{1}页</translation>
    </message>
    <message>
        <source>Eligo {0} · rules {1} v{2} ({3}) · printed {4}</source>
        <translation>Eligo {0} · 规则 {1} v{2}（{3}）· 打印时间 {4}</translation>
    </message>
    <message>
        <source>Eligo printout</source>
        <translation>Eligo 打印件</translation>
    </message>
    <message>
        <source>{0} ({1}, exported {2})</source>
        <translation>{0}（{1}，导出于 {2}）</translation>
    </message>
    <message>
        <source>{0} site(s): {1}</source>
        <translation>{0} 个研究中心：{1}</translation>
    </message>
    <message>
        <source>per site</source>
        <translation>见各研究中心</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未回复</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Raised by {0} at {1}</source>
        <translation>由 {0} 于 {1} 发起</translation>
    </message>
    <message>
        <source>Answered by {0} at {1}</source>
        <translation>由 {0} 于 {1} 回复</translation>
    </message>
    <message>
        <source>Closed by {0} at {1}</source>
        <translation>由 {0} 于 {1} 关闭</translation>
    </message>
    <message>
        <source>Reopened by {0} at {1}</source>
        <translation>由 {0} 于 {1} 重新开启</translation>
    </message>
    <message>
        <source>version {0}</source>
        <translation>第{0}版</translation>
    </message>
    <message>
        <source>Note on {0}, {1}by {2}, {3}: {4}</source>
        <translation>{0} 的备注，{1}{2}，{3}：{4}</translation>
    </message>
    <message>
        <source>Monitor queries</source>
        <translation>监查员质疑</translation>
    </message>
    <message>
        <source>Query {0} on {1}: {2}</source>
        <translation>质疑 {0}（{1}）：{2}</translation>
    </message>
    <message>
        <source>(suggested value: {0})</source>
        <translation>（建议值：{0}）</translation>
    </message>
    <message>
        <source>(answer changed to {0})</source>
        <translation>（回答已改为 {0}）</translation>
    </message>
    <message>
        <source>(reason: {0})</source>
        <translation>（原因：{0}）</translation>
    </message>
    <message>
        <source>Audit trail reviews</source>
        <translation>稽查轨迹审核</translation>
    </message>
    <message>
        <source>{0} to {1}, reviewed by {2} at {3}</source>
        <translation>{0} 至 {1}，由 {2} 于 {3} 审核</translation>
    </message>
    <message>
        <source>{0} (UTC)</source>
        <translation>{0}（UTC）</translation>
    </message>
    <message>
        <source>{0} “{1}”: {2}, {3}, added {4}, SHA-256 {5}</source>
        <translation>{0}“{1}”：{2}，{3}，添加于 {4}，SHA-256 {5}</translation>
    </message>
    <message>
        <source>{0} “{1}” on {2}: {3}, {4}, added {5}, SHA-256 {6}</source>
        <translation>{0}“{1}”，涉及 {2}：{3}，{4}，添加于 {5}，SHA-256 {6}</translation>
    </message>
    <message>
        <source>REMOVED on {0}: {1}</source>
        <translation>已于 {0} 移除：{1}</translation>
    </message>
    <message>
        <source>REMOVED on {0}</source>
        <translation>已于 {0} 移除</translation>
    </message>
    <message>
        <source>Source documents attached</source>
        <translation>所附源文件</translation>
    </message>
</context>
<context>
    <name>QueryDialog</name>
    <message>
        <source>open</source>
        <translation>未回复</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>raised by {0}</source>
        <translation>由 {0} 发起</translation>
    </message>
    <message>
        <source>answered by {0}</source>
        <translation>由 {0} 回复</translation>
    </message>
    <message>
        <source>closed by {0}</source>
        <translation>由 {0} 关闭</translation>
    </message>
    <message>
        <source>reopened by {0}</source>
        <translation>由 {0} 重新开启</translation>
    </message>
    <message>
        <source>Queries: {0}</source>
        <translation>质疑：{0}</translation>
    </message>
    <message>
        <source>Queries on this answer</source>
        <translation>针对此回答的质疑</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>质疑</translation>
    </message>
    <message>
        <source>Suggested value</source>
        <translation>建议值</translation>
    </message>
    <message>
        <source>Reason for the change</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>&amp;Raise query</source>
        <translation>发起质疑(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Answer</source>
        <translation>回复(&amp;A)</translation>
    </message>
    <message>
        <source>C&amp;lose query</source>
        <translation>关闭质疑(&amp;L)</translation>
    </message>
    <message>
        <source>Re&amp;open query</source>
        <translation>重新开启质疑(&amp;O)</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>&amp;Query:</source>
        <translation>质疑(&amp;Q)：</translation>
    </message>
    <message>
        <source>&amp;Text:</source>
        <translation>内容(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Suggested value (optional):</source>
        <translation>建议值（可选）(&amp;S)：</translation>
    </message>
    <message>
        <source>Corrected answer</source>
        <translation>更正后的回答</translation>
    </message>
    <message>
        <source>Corrected a&amp;nswer (only if it changes):</source>
        <translation>更正后的回答（仅在有改动时填写）(&amp;N)：</translation>
    </message>
    <message>
        <source>Reason for the c&amp;hange:</source>
        <translation>修改原因(&amp;H)：</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步操作</translation>
    </message>
    <message>
        <source>No query on this answer.</source>
        <translation>此回答没有质疑。</translation>
    </message>
    <message>
        <source>A new query</source>
        <translation>新建质疑</translation>
    </message>
    <message>
        <source>Query {0} ({1})</source>
        <translation>质疑 {0}（{1}）</translation>
    </message>
    <message>
        <source>&amp;Reply:</source>
        <translation>回复(&amp;R)：</translation>
    </message>
    <message>
        <source>Suggested value: {0}</source>
        <translation>建议值：{0}</translation>
    </message>
    <message>
        <source>Answer changed to: {0}</source>
        <translation>回答已改为：{0}</translation>
    </message>
    <message>
        <source>Reason: {0}</source>
        <translation>原因：{0}</translation>
    </message>
    <message>
        <source>⚠ Queries on this screening still open: %n. You may sign; the monitor sees that they were open when you signed.</source>
        <translation>⚠ 本次筛选仍有未回复的质疑：%n 条。您仍可签名；监查员（CRA）将看到您签名时这些质疑尚未回复。</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Screening</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>姓名缩写</translation>
    </message>
    <message>
        <source>Screened on</source>
        <translation>筛选日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Awaited results</source>
        <translation>待回报的结果</translation>
    </message>
    <message>
        <source>Open queries</source>
        <translation>未回复质疑</translation>
    </message>
    <message>
        <source>Windows over on</source>
        <translation>时间窗结束日期</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Awaiting investigator confirmation</source>
        <translation>待研究者确认</translation>
    </message>
    <message>
        <source>Results pending</source>
        <translation>结果待回报</translation>
    </message>
    <message>
        <source>Eligible, outcome not recorded</source>
        <translation>符合入组条件，未记录筛选结局</translation>
    </message>
    <message>
        <source>Open queries</source>
        <translation>未回复质疑</translation>
    </message>
    <message>
        <source>Washout ends soon</source>
        <translation>洗脱期即将结束</translation>
    </message>
    <message>
        <source>Signed by the coordinator; the investigator&apos;s confirmation of eligibility is awaited.</source>
        <translation>临床研究协调员（CRC）已签名；等待研究者确认入组资格。</translation>
    </message>
    <message>
        <source>Incomplete only because results are pending: the determination waits for them alone.</source>
        <translation>仅因结果待回报而信息不全：判定结果只待这些结果。</translation>
    </message>
    <message>
        <source>Eligible; enrolled, declined or withdrawn is not recorded yet.</source>
        <translation>符合入组条件；尚未记录已入组、拒绝参加或入组前退出。</translation>
    </message>
    <message>
        <source>A monitor&apos;s query awaits an answer (open the screening: the query is beside its field).</source>
        <translation>监查员（CRA）的质疑等待回复（打开该筛选：质疑显示在相应字段旁）。</translation>
    </message>
    <message>
        <source>Excluded only by a medication window (E5, E6) or the malignancy window (E4), and not screened again: from the date shown the windows are over (the soonest first).</source>
        <translation>仅因用药时间窗（E5、E6）或恶性肿瘤时间窗（E4）被排除，且未重新筛选：自所示日期起时间窗结束（最早结束的在前）。</translation>
    </message>
    <message>
        <source>Work queues</source>
        <translation>工作队列</translation>
    </message>
    <message>
        <source>Queues (↑ ↓ to choose, Tab to its screenings, Enter to open one):</source>
        <translation>队列（↑ ↓ 选择，Tab 转到该队列的筛选，Enter 打开所选筛选）：</translation>
    </message>
    <message>
        <source>Screenings in the queue</source>
        <translation>队列中的筛选</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>Work &amp;queues</source>
        <translation>工作队列(&amp;Q)</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Use the recovery key</source>
        <translation>使用恢复密钥</translation>
    </message>
    <message>
        <source>Type the recovery key from the sheet in the site binder, the administrator whose password is reset, and the new password.</source>
        <translation>请输入研究者文件夹中那张纸上的恢复密钥、要重置密码的管理员以及新密码。</translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation>至少10个字符</translation>
    </message>
    <message>
        <source>Not reset: {0}</source>
        <translation>未重置：{0}</translation>
    </message>
    <message>
        <source>Recovery key:</source>
        <translation>恢复密钥：</translation>
    </message>
    <message>
        <source>Administrator:</source>
        <translation>管理员：</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>New password again:</source>
        <translation>再次输入新密码：</translation>
    </message>
    <message>
        <source>Reset and sign in</source>
        <translation>重置并登录</translation>
    </message>
    <message>
        <source>password: the two entries differ</source>
        <translation>密码：两次输入不一致</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>This is the site&apos;s recovery key. It is shown only now. With it an administrator can set a new password when every administrator has forgotten theirs; without any password or this key, the data cannot be opened. Print the sheet and keep it in a sealed envelope in the site binder.</source>
        <translation>这是本研究中心的恢复密钥，仅此一次显示。当所有管理员都忘记密码时，管理员可凭此密钥设置新密码；既没有任何密码也没有此密钥时，数据将无法打开。请打印此页，密封后存放在研究者文件夹中。</translation>
    </message>
    <message>
        <source>&amp;Print the sheet…</source>
        <translation>打印此页(&amp;P)…</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset the password of {0}</source>
        <translation>重置 {0} 的密码</translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation>至少10个字符</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>New password again:</source>
        <translation>再次输入新密码：</translation>
    </message>
    <message>
        <source>new password: the two entries differ</source>
        <translation>新密码：两次输入不一致</translation>
    </message>
    <message>
        <source>The old signing key cannot be opened without the old password: it is retired (kept, to check earlier signatures) and a new key is issued.</source>
        <translation>没有原密码就无法打开原签名密钥：原密钥将停用（仍保留，用于核验之前的签名），并签发新密钥。</translation>
    </message>
</context>
<context>
    <name>ReviewAnnotations</name>
    <message>
        <source>Note on {0}: {1}</source>
        <translation>{0} 的备注：{1}</translation>
    </message>
    <message>
        <source>Open query on {0}: {1}</source>
        <translation>{0} 的未回复质疑：{1}</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>not yet answered: {0}</source>
        <translation>尚未回答：{0}</translation>
    </message>
    <message>
        <source>last dose date missing: {0}</source>
        <translation>缺少末次给药日期：{0}</translation>
    </message>
    <message>
        <source>✔ met</source>
        <translation>✔ 符合</translation>
    </message>
    <message>
        <source>✖ not met</source>
        <translation>✖ 不符合</translation>
    </message>
    <message>
        <source>… unknown</source>
        <translation>… 未知</translation>
    </message>
    <message>
        <source>✖ present</source>
        <translation>✖ 存在</translation>
    </message>
    <message>
        <source>✔ absent</source>
        <translation>✔ 不存在</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Answer and reason</source>
        <translation>回答与原因</translation>
    </message>
    <message>
        <source>&amp;Sign…</source>
        <translation>签名(&amp;S)…</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Review&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;核对&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Correct the answer shown in red before reviewing.</source>
        <translation>请先更正红色标出的回答，再进行核对。</translation>
    </message>
    <message>
        <source>Missing answers (click to go to the step): {0}</source>
        <translation>未填写的回答（点击可转到相应步骤）：{0}</translation>
    </message>
    <message>
        <source>No answer is missing.</source>
        <translation>所有问题均已回答。</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>You have signed this version of the record.</source>
        <translation>您已签署此版本的记录。</translation>
    </message>
    <message>
        <source>Acknowledged: {0}</source>
        <translation>已确认：{0}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Screen failure recorded.&lt;/b&gt; {0} Sign below; an investigator confirms the determination with a signature.</source>
        <translation>&lt;b&gt;已记录筛选失败。&lt;/b&gt;{0} 请在下方签名；研究者以签名确认该判定。</translation>
    </message>
    <message>
        <source>Not signed yet.</source>
        <translation>尚未签名。</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>coordinator</source>
        <translation>临床研究协调员（CRC）</translation>
    </message>
    <message>
        <source>investigator</source>
        <translation>研究者</translation>
    </message>
    <message>
        <source>monitor</source>
        <translation>监查员（CRA）</translation>
    </message>
</context>
<context>
    <name>RolesDialog</name>
    <message>
        <source>Roles of {0}</source>
        <translation>{0} 的角色</translation>
    </message>
    <message>
        <source>{0} ({1}) may act as:</source>
        <translation>{0}（{1}）可担任：</translation>
    </message>
</context>
<context>
    <name>ScreenFailureDialog</name>
    <message>
        <source>Record screen failure</source>
        <translation>记录筛选失败</translation>
    </message>
    <message>
        <source>The candidate does not meet these criteria:</source>
        <translation>该候选受试者不符合以下标准：</translation>
    </message>
    <message>
        <source>The remaining steps are not asked; every answer so far is kept. The review opens next: sign there, and an investigator confirms the determination with a signature. Later changes to the answers need a reason.</source>
        <translation>其余步骤将不再询问；已有的回答全部保留。接下来打开审核页：请在该页签名，研究者以签名确认该判定。此后修改回答需填写原因。</translation>
    </message>
    <message>
        <source>&amp;Note (optional):</source>
        <translation>备注（可选）(&amp;N)：</translation>
    </message>
</context>
<context>
    <name>ScreeningLogView</name>
    <message>
        <source>Search screening number or initials</source>
        <translation>搜索筛选号或姓名缩写</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation>状态筛选</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Fin&amp;d:</source>
        <translation>查找(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Clear filter</source>
        <translation>清除筛选条件(&amp;C)</translation>
    </message>
    <message>
        <source>search “{0}”</source>
        <translation>搜索“{0}”</translation>
    </message>
    <message>
        <source>status {0}</source>
        <translation>状态 {0}</translation>
    </message>
    <message>
        <source>Filtered: only screenings matching {0} are shown.</source>
        <translation>已过滤：仅显示符合 {0} 的筛选。</translation>
    </message>
    <message>
        <source> and </source>
        <translation>且</translation>
    </message>
</context>
<context>
    <name>ScreeningWizard</name>
    <message>
        <source>Screening {0} (attempt {1})</source>
        <translation>筛选 {0}（第{1}次筛选）</translation>
    </message>
    <message>
        <source>   ({0} open)</source>
        <translation>   （{0} 项未填）</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <source>Save and finish &amp;later</source>
        <translation>保存，稍后完成(&amp;L)</translation>
    </message>
    <message>
        <source>Record screen &amp;failure</source>
        <translation>记录筛选失败(&amp;F)</translation>
    </message>
    <message>
        <source>Stop here: the answers so far are kept and the reasons listed.</source>
        <translation>在此结束：已录入的回答均保留，并列出原因。</translation>
    </message>
    <message>
        <source>Reason for change</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <source>This screening has been signed. Why is it being changed?</source>
        <translation>本次筛选已签名。修改的原因是什么？</translation>
    </message>
    <message>
        <source>The outcome of this screening is recorded. Why is it being changed?</source>
        <translation>本次筛选的结局已记录。为何要修改？</translation>
    </message>
    <message>
        <source>Not applicable, kept (not used now; they count again if {0} applies again): {1}</source>
        <translation>不适用，已保留（目前不计入；如 {0} 再次适用则重新计入）：{1}</translation>
    </message>
    <message>
        <source>within the limit</source>
        <translation>未超过上限</translation>
    </message>
    <message>
        <source>above the limit: {0} not met</source>
        <translation>超过上限：{0} 不符合</translation>
    </message>
    <message>
        <source>= prednisone {0} mg/day (limit {1} mg/day): {2}</source>
        <translation>= 泼尼松 {0} mg/d（上限 {1} mg/d）：{2}</translation>
    </message>
    <message>
        <source>= {0} points: {1}</source>
        <translation>= {0}分：{1}</translation>
    </message>
    <message>
        <source>{0} months</source>
        <translation>{0}个月</translation>
    </message>
    <message>
        <source>{0} days</source>
        <translation>{0}天</translation>
    </message>
    <message>
        <source>… {0}: last dose date needed</source>
        <translation>… {0}：需要末次给药日期</translation>
    </message>
    <message>
        <source>… {0}: needs the screening date</source>
        <translation>… {0}：需要筛选日期</translation>
    </message>
    <message>
        <source>✖ {0}: inside the {1} window (from {2})</source>
        <translation>✖ {0}：在{1}时间窗内（自 {2} 起）</translation>
    </message>
    <message>
        <source>✔ {0}: before the {1} window (from {2})</source>
        <translation>✔ {0}：早于{1}时间窗（自 {2} 起）</translation>
    </message>
    <message>
        <source>The screen failure is recorded; the review shows it.</source>
        <translation>筛选失败已记录，审核页中可见。</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Set up Eligo</source>
        <translation>设置 Eligo</translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation>至少10个字符</translation>
    </message>
    <message>
        <source>&lt;b&gt;Site&lt;/b&gt;</source>
        <translation>&lt;b&gt;研究中心&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Site code:</source>
        <translation>中心编号：</translation>
    </message>
    <message>
        <source>Site name:</source>
        <translation>研究中心名称：</translation>
    </message>
    <message>
        <source>Principal investigator:</source>
        <translation>主要研究者（PI）：</translation>
    </message>
    <message>
        <source>&lt;b&gt;First administrator&lt;/b&gt; (manages accounts; cannot sign eligibility)</source>
        <translation>&lt;b&gt;首位管理员&lt;/b&gt;（管理账户；不能签署入组资格）</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Full name (printed):</source>
        <translation>全名（打印用）：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password again:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>password: the two entries differ</source>
        <translation>密码：两次输入不一致</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Log: continue the selected screening</source>
        <translation>筛选日志：继续所选筛选</translation>
    </message>
    <message>
        <source>Log: find a screening number or initials</source>
        <translation>筛选日志：查找筛选号或姓名缩写</translation>
    </message>
    <message>
        <source>Wizard: save the field, go to the next open question</source>
        <translation>向导：保存该字段，转到下一个未答问题</translation>
    </message>
    <message>
        <source>Wizard: answer yes or no to the focused question</source>
        <translation>向导：对当前问题回答“是”或“否”</translation>
    </message>
    <message>
        <source>Wizard: move in a list of check boxes (End: None of these)</source>
        <translation>向导：在复选框列表中移动（End：以上均无）</translation>
    </message>
    <message>
        <source>Wizard: go to the check box whose label begins so</source>
        <translation>向导：跳到以所输入文字开头的复选框</translation>
    </message>
    <message>
        <source>Wizard: tick or untick the focused check box</source>
        <translation>向导：勾选或取消勾选当前复选框</translation>
    </message>
    <message>
        <source>Wizard: in the step list, open the step above or below</source>
        <translation>向导：在步骤列表中打开上一步或下一步</translation>
    </message>
    <message>
        <source>Wizard: next step / previous step</source>
        <translation>向导：下一步 / 上一步</translation>
    </message>
    <message>
        <source>Wizard: the note on the focused question</source>
        <translation>向导：当前问题的备注</translation>
    </message>
    <message>
        <source>Wizard: the queries on the focused question</source>
        <translation>向导：当前问题的质疑</translation>
    </message>
    <message>
        <source>Wizard: save and finish later</source>
        <translation>向导：保存，稍后完成</translation>
    </message>
    <message>
        <source>Wizard: record screen failure</source>
        <translation>向导：记录筛选失败</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>作用</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Sign {0}</source>
        <translation>签名 {0}</translation>
    </message>
    <message>
        <source>Screening performed by {0}</source>
        <translation>筛选执行人：{0}</translation>
    </message>
    <message>
        <source>Eligibility confirmed by investigator {0}</source>
        <translation>研究者确认入组资格：{0}</translation>
    </message>
    <message>
        <source>Your roles do not allow signing screenings.</source>
        <translation>您的角色无权签署筛选记录。</translation>
    </message>
    <message>
        <source>Not signed: {0}</source>
        <translation>未签名：{0}</translation>
    </message>
    <message>
        <source>Screening:</source>
        <translation>筛选：</translation>
    </message>
    <message>
        <source>{0} (attempt {1})</source>
        <translation>{0}（第{1}次筛选）</translation>
    </message>
    <message>
        <source>eligible</source>
        <translation>符合入组条件</translation>
    </message>
    <message>
        <source>ineligible</source>
        <translation>不符合入组条件</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>信息不全</translation>
    </message>
    <message>
        <source>Determination:</source>
        <translation>判定结果：</translation>
    </message>
    <message>
        <source>{0}; failing: {1}</source>
        <translation>{0}；未通过：{1}</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>试验方案：</translation>
    </message>
    <message>
        <source>Your key:</source>
        <translation>您的密钥：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Signing binds your name, this meaning and the time to exactly the answers, the determination, the protocol and the acknowledged warnings shown. It is the equivalent of your handwritten signature.</source>
        <translation>签名会将您的姓名、签名含义和时间与此处显示的回答、判定结果、试验方案及已确认的警示精确绑定，等同于您的手写签名。</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
</context>
<context>
    <name>StepPage</name>
    <message>
        <source>Not applicable, kept: not used now; it counts again if this question applies again.</source>
        <translation>不适用，已保留：目前不计入；如本问题再次适用则重新计入。</translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <source>indeterminate</source>
        <translation>无法确定</translation>
    </message>
</context>
<context>
    <name>TrialLogModel</name>
    <message>
        <source>Screening</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>姓名缩写</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>知情同意</translation>
    </message>
    <message>
        <source>Screening date</source>
        <translation>筛选日期</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>筛选结局</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>临床研究协调员（CRC）</translation>
    </message>
    <message>
        <source>Investigator sign-off</source>
        <translation>研究者签字确认</translation>
    </message>
</context>
<context>
    <name>TrustedKeysDialog</name>
    <message>
        <source>Trusted keys</source>
        <translation>受信任的密钥</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>Signer</source>
        <translation>签名人</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>研究中心</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入时间</translation>
    </message>
    <message>
        <source>&amp;Import a key file…</source>
        <translation>导入密钥文件(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Remove the selected key</source>
        <translation>移除所选密钥(&amp;R)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Only administrators and monitors change the trusted keys.</source>
        <translation>只有管理员和监查员（CRA）可以更改受信任的密钥。</translation>
    </message>
    <message>
        <source>A bundle verifies as valid when one of these keys signed it and it is from the site that key is trusted for; a bundle signed by any other key, or from another site, is invalid.</source>
        <translation>当数据包由以下某个密钥签名、且来自该密钥所信任的研究中心时，验证结果为有效；由其他密钥签名或来自其他研究中心的数据包均为无效。</translation>
    </message>
    <message>
        <source>Not imported: {0}</source>
        <translation>未导入：{0}</translation>
    </message>
    <message>
        <source>Trusted: {0}</source>
        <translation>已信任：{0}</translation>
    </message>
    <message>
        <source>Import a public key file</source>
        <translation>导入公钥文件</translation>
    </message>
    <message>
        <source>Public keys (*.json *.pub);;All files (*)</source>
        <translation>公钥 (*.json *.pub);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Select the key to remove.</source>
        <translation>请选择要移除的密钥。</translation>
    </message>
    <message>
        <source>Not removed: {0}</source>
        <translation>未移除：{0}</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>已移除。</translation>
    </message>
</context>
<context>
    <name>UserGuideDialog</name>
    <message>
        <source>Eligo user guide</source>
        <translation>Eligo 用户指南</translation>
    </message>
</context>
<context>
    <name>VerdictPanel</name>
    <message>
        <source>Determination</source>
        <translation>判定结果</translation>
    </message>
    <message>
        <source>&lt;b&gt;Determination&lt;/b&gt;</source>
        <translation>&lt;b&gt;判定结果&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Cannot evaluate: correct the answer shown in red</source>
        <translation>无法评估：请更正红色标出的回答</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>符合入组条件</translation>
    </message>
    <message>
        <source>Ineligible</source>
        <translation>不符合入组条件</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>信息不全</translation>
    </message>
    <message>
        <source>Failing:</source>
        <translation>不符合：</translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) still open in the steps</source>
        <translation>
            <numerusform>各步骤中仍有 %n 个问题未回答</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) needed for the determination</source>
        <translation>
            <numerusform>判定尚需 %n 个回答</numerusform>
        </translation>
    </message>
    <message>
        <source>Every criterion is met</source>
        <translation>所有标准均符合</translation>
    </message>
    <message>
        <source>ACR/EULAR total: {0} / {1}</source>
        <translation>ACR/EULAR总分：{0} / {1}</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>Site:</source>
        <translation>研究中心：</translation>
    </message>
    <message>
        <source>Exported by:</source>
        <translation>导出人：</translation>
    </message>
    <message>
        <source>Exported at:</source>
        <translation>导出时间：</translation>
    </message>
    <message>
        <source>Screening attempts:</source>
        <translation>筛选次数：</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>试验方案：</translation>
    </message>
    <message>
        <source>Made with:</source>
        <translation>生成软件：</translation>
    </message>
    <message>
        <source>Valid, signed by a trusted key</source>
        <translation>有效，由受信任的密钥签名</translation>
    </message>
    <message>
        <source>Valid, but the signer was not checked: this copy of Eligo trusts no key yet (File &gt; Trusted keys), so anyone could have signed it</source>
        <translation>有效，但未核验签名人：本机 Eligo 尚未信任任何密钥（文件 &gt; 受信任的密钥），因此任何人都可能签署了该数据包</translation>
    </message>
    <message>
        <source>Invalid: do not use this bundle</source>
        <translation>无效：请勿使用此数据包</translation>
    </message>
    <message>
        <source>Unreadable: not a bundle that can be checked</source>
        <translation>无法读取：不是可核验的数据包</translation>
    </message>
    <message>
        <source>Verification of {0}</source>
        <translation>{0} 的验证结果</translation>
    </message>
    <message>
        <source>What the bundle states of itself: to be believed only when the verdict is VALID and the signer is known to you (trusted keys).</source>
        <translation>数据包的自述信息：仅当验证结论为“有效”且签名人为您所知（受信任的密钥）时才可采信。</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>&amp;Save the report…</source>
        <translation>保存报告(&amp;S)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存报告</translation>
    </message>
</context>
<context>
    <name>YesNo</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Press Y for yes, N for no</source>
        <translation>按 Y 表示“是”，按 N 表示“否”</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>Preparing the printout…</source>
        <translation>正在准备打印件…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为PDF</translation>
    </message>
    <message>
        <source>Saving {0}…</source>
        <translation>正在保存 {0}…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>已取消导出。</translation>
    </message>
    <message>
        <source>Verify a bundle</source>
        <translation>验证数据包</translation>
    </message>
    <message>
        <source>Export my public key</source>
        <translation>导出我的公钥</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>Public key {0} saved to {1}.</source>
        <translation>公钥 {0} 已保存至 {1}。</translation>
    </message>
</context>
</TS>
