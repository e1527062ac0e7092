<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Eligo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligo version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol sha256:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data directory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite library:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: Eligo never opens a network connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Roles…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>locked until {0} (failed sign-ins)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an account in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate {0}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}) will no longer sign in or sign. Nothing they entered or signed changes, and an administrator can reactivate the account later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset &amp;password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after idle:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AgentDates</name>
    <message>
        <source>Last dose of {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>The bundled protocol could not be loaded.

{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database failed its check: {0}.

Nothing more can be saved here. Close Eligo and start it again: it checks the data first and offers to restore the newest good backup (the damaged file is kept aside).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The store in {0} could not be opened; the reason is in {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}

Open read-only? You can look and print; changes and exports are made in the Eligo that holds the data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database {0} failed its check: {1}.

Restore the newest good backup, {2}, now? The damaged file is kept aside.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An unexpected error occurred. Every answer saved before it is kept; the unsaved input of the field being edited may need entering again.

The details are in {0} for your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditTrailDialog</name>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail of {0} (attempt {1})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice</name>
    <message>
        <source>— not answered —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{1} points – {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsolidatedDialog</name>
    <message>
        <source>Consolidated store (coordinating centre)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Choose folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import site bundle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save the trial-wide log as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print the trial-wide log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the selected screening&apos;s s&amp;ummary…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save its summary as P&amp;DF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest bundle exported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signer key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screenings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search screening number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the trial-wide log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trial-wide screening log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the consolidated store: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none chosen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrators and monitors import site bundles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the folder of the consolidated store first: the one used before, or an empty folder to start a new one. Then import the sites&apos; bundles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No bundle imported yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Across {0} site(s): assessed {1}; excluded as not meeting criteria {2}, declined {3}, other {4}; enrolled {5}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder of the consolidated store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import site bundles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to print: no bundle imported yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a screening in the trial-wide log first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorLine</name>
    <message>
        <source>Not saved: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a signed bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The screening log of site {0}: {1} screening attempt(s), de-identified, as CSV, JSON, CDISC ODM 1.3.2, FHIR R4 and the printed log (PDF), with the audit trail. No names, medical record numbers or full dates of birth. Signed with your key, so that the sponsor can check who exported it and that nothing in it was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not exported: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File: give the name of the file to write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} already exists. Replace it with this export?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {0} screening attempt(s) to {1}, signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}

Signed by {1} with key {2}. The sponsor checks the file with Eligo&apos;s Verify a bundle, against your public key (Account &gt; Export my public key).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Eligo is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in as someone else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every answer entered so far is saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in: {0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>Screening number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screening date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigator sign-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eligible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ineligible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in to Eligo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the store…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in could not be recorded: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DEMO store: the sample accounts and passwords are in the README.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Eligo – {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registry id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sponsor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol sha256:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registered end date:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registry wording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligibility criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screening &amp;log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no site set up yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read-only: another Eligo is writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DEMO – sample data, not real patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligo {0} – offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligo – {0} – {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DEMO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New screening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Continue the selected screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Re-screen the selected candidate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record the &amp;outcome…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Audit trail of the selected screening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Eligo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print the summary of the selected screening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the summary as P&amp;DF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the screening &amp;log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the screening log as PD&amp;F…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export a signed bundle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify a bundle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trusted keys…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consolidated store (&amp;coordinating centre)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use US &amp;Letter paper (A4 otherwise)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;My account and password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Accounts… (administrators)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export my &amp;public key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in: {0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only: another Eligo is writing to this data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} screenings: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not re-screened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-screen {0}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start screening attempt {0} of {1}? Attempt {2} stays as it is recorded ({3}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a screening in the log first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MultiChoice</name>
    <message>
        <source>None of these</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MyAccountDialog</name>
    <message>
        <source>My account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing key fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new password: the two entries differ</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewAccountDialog</name>
    <message>
        <source>New account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name (printed):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First password:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewScreeningDialog</name>
    <message>
        <source>New screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Candidate &amp;initials:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Medical record number (kept on this machine only):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OtherMedications</name>
    <message>
        <source>Biologic (E5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Non-biologic DMARD or immunosuppressant (E6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Glucocorticoid (neither)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NSAID (neither)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other (neither)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add an agent not in the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agent name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— classify —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last dose YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last dose</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <source>Enrolled (randomization number and date)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligible but declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawn before enrollment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Determination:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no investigator yet (enrolment waits for the signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligibility confirmed by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Randomization number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Enrollment date:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrollment date: write it as YYYY-MM-DD, for example 2023-03-08</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrollment date: {0} is not a calendar date (no such day)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset the password of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new password: the two entries differ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The old signing key cannot be opened without the old password: it is retired (kept, to check earlier signatures) and a new key is issued.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>not yet answered: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last dose date missing: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ not met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ present</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ absent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer and reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Review&lt;/h2&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the answer shown in red before reviewing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing answers (click to go to the step): {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RolesDialog</name>
    <message>
        <source>Roles of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}) may act as:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScreeningLogView</name>
    <message>
        <source>Search screening number or initials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScreeningWizard</name>
    <message>
        <source>Screening {0} (attempt {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save and finish &amp;later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record screen &amp;failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop here: the answers so far are kept and the reasons listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This screening has been signed. Why is it being changed?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>within the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>above the limit: {0} not met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>= prednisone {0} mg/day (limit {1} mg/day): {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>= {0} points: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… {0}: last dose date needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… {0}: needs the screening date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ {0}: inside the {1} window (from {2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ {0}: before the {1} window (from {2})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Set up Eligo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Site&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Principal investigator:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;First administrator&lt;/b&gt; (manages accounts; cannot sign eligibility)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name (printed):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>password: the two entries differ</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Sign {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your roles do not allow signing screenings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screening:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Determination:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing binds your name, this meaning and the time to exactly the answers, the determination, the protocol and the acknowledged warnings shown. It is the equivalent of your handwritten signature.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <source>indeterminate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrialLogModel</name>
    <message>
        <source>Screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screening date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigator sign-off</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrustedKeysDialog</name>
    <message>
        <source>Trusted keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import a key file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove the selected key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only administrators and monitors change the trusted keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundles signed by these keys verify as VALID; a valid signature by any other key verifies as &quot;valid; signer not in trusted keys&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not imported: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a public key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public keys (*.json *.pub);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the key to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not removed: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VerdictPanel</name>
    <message>
        <source>Determination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Determination&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot evaluate: correct the answer shown in red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ineligible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} answer(s) missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every criterion is met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ACR/EULAR total: {0} / {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>Site:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screening attempts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the bundle states of itself: to be believed only when the verdict is VALID and the signer is known to you (trusted keys).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save the report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>YesNo</name>
    <message>
        <source>&amp;Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>Save as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify a bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export my public key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public key {0} saved to {1}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
