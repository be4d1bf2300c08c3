"""What the multi-host run proves, one check per row of the result table.

Each check talks to the portal as its users do (the sign-in form, the REST API), through the
proxy or to one web host directly, and reads the outcome where it lands: the hosts' access logs,
the database, the bucket, the mail folders.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cluster import ANON_THROTTLE_PER_MINUTE, BUCKET, Cluster
from processes import wait_until
from web import Browser, png_photo

CUSTOMER = "quality@autowerk.example"
# Locked out by the lockout check: used by no other check.
LOCKED_CUSTOMER = "quality@brenner.example"
MANAGER = "manager@demo.example"
SPREAD_REQUESTS = 40
MIN_SHARE = 0.25
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
# The message of a killed worker comes back after the visibility timeout, at the next restore
# of unacknowledged messages: kombu's Redis transport runs one every 100 s per consuming process.
REPORT_TIMEOUT = 150
ALERT_TIMEOUT = 20
# The rows of the result table, in order.
SPREAD = "1 requests spread over web1 and web2"
SHARED_FILES = "2 file uploaded on web1 downloads identical on web2"
SHARED_SESSION = "3a session from web1 signs in on web2"
SHARED_LOCKOUT = "3b five wrong passwords on web1 lock the account on web2"
SHARED_THROTTLE = "3c API throttle counted across web1 and web2"
REPORT_ONCE = "4 report of a killed worker host finished once by the other"
ALERT_BESIDE_REPORT = "5 safety alert mailed while a report runs"
CHECKS = (
    SPREAD,
    SHARED_FILES,
    SHARED_SESSION,
    SHARED_LOCKOUT,
    SHARED_THROTTLE,
    REPORT_ONCE,
    ALERT_BESIDE_REPORT,
)


@dataclass
class Row:
    check: str
    ok: bool
    figure: str


class Checks:
    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.run_id = uuid.uuid4().hex[:8]
        self.passwords = cluster.settings["logins"]
        self.customer = Browser()
        self.rows: list[Row] = []

    def record(self, check: str, ok: bool, figure: str) -> Row:
        row = Row(check, bool(ok), figure)
        self.rows.append(row)
        return row

    def run_all(self, log) -> list[Row]:
        for name, step in (
            (SPREAD, self.requests_spread),
            (SHARED_FILES, self.file_crosses_hosts),
            (SHARED_SESSION, self.session_crosses_hosts),
            (SHARED_LOCKOUT, self.lockout_crosses_hosts),
            (SHARED_THROTTLE, self.throttle_crosses_hosts),
            (REPORT_ONCE, self.report_survives_killed_worker),
        ):
            log(f"check: {name}")
            try:
                step()
            except Exception as error:  # one broken check must not hide the others' results
                self.record(name, False, f"error: {error!r}"[:200])
        for name in CHECKS:
            if not any(row.check == name for row in self.rows):
                self.record(name, False, "not reached")
        self.rows.sort(key=lambda row: CHECKS.index(row.check))
        return self.rows

    # --- 1 ----------------------------------------------------------------------------------------

    def requests_spread(self):
        """40 requests through the proxy, counted in each web host's access log."""
        anonymous = Browser()
        probe = f"probe-{self.run_id}"
        answers = [
            anonymous.get(f"{self.cluster.proxy_url()}/accounts/login/?{probe}={n}")
            for n in range(SPREAD_REQUESTS)
        ]
        by_header = Counter(answer.headers.get("X-Upstream", "?") for answer in answers)
        logged = {
            name: self.cluster.supervisor.by_name(name).log.read_text(errors="replace").count(probe)
            for name in ("web1", "web2")
        }
        served = sum(answer.status_code == 200 for answer in answers)
        ok = (
            served == SPREAD_REQUESTS
            and logged == {name: by_header[name] for name in logged}
            and all(count >= MIN_SHARE * SPREAD_REQUESTS for count in logged.values())
        )
        self.record(
            SPREAD,
            ok,
            f"{SPREAD_REQUESTS} via proxy: web1 {logged['web1']}, web2 {logged['web2']} "
            f"(access logs), {served} × 200",
        )

    # --- 2 ----------------------------------------------------------------------------------------

    def file_crosses_hosts(self):
        """A claim photo uploaded through web1 downloads byte for byte through web2, from the
        bucket (no host keeps a copy)."""
        web1, web2 = self.cluster.web_url("web1"), self.cluster.web_url("web2")
        signed_in = self.customer.sign_in(web1, CUSTOMER, self.passwords[CUSTOMER])
        if signed_in.status_code != 302:
            raise RuntimeError(f"sign-in on web1 answered {signed_in.status_code}")
        claim = self.file_claim(web1, severity="minor", symptom="Scratch on the flange face")
        photo = png_photo(seed=int(self.run_id, 16))
        uploaded = self.customer.post(
            f"{web1}/api/v1/claims/{claim['id']}/attachments/",
            files={"file": (f"scratch-{self.run_id}.png", photo, "image/png")},
            data={"description": "Scratch, photographed at incoming inspection"},
        )
        if uploaded.status_code != 201:
            raise RuntimeError(f"upload answered {uploaded.status_code}: {uploaded.text[:200]}")
        attachment = uploaded.json()[0]
        downloaded = self.customer.get(f"{web2}/api/v1/attachments/{attachment['id']}/download/")
        in_bucket = self.bucket_objects_with(photo)
        local = self.local_media_files()
        same = downloaded.status_code == 200 and downloaded.content == photo
        self.record(
            SHARED_FILES,
            same and len(in_bucket) == 1 and not local,
            f"{len(photo):,} B, sha256 {hashlib.sha256(downloaded.content).hexdigest()[:12]} "
            f"{'=' if same else '≠'} upload; {len(in_bucket)} object in bucket, "
            f"{len(local)} files in the hosts' media folders",
        )

    def file_claim(self, base: str, *, severity: str, symptom: str) -> dict:
        parts = self.customer.get(f"{base}/api/v1/parts/?page_size=1")
        if parts.status_code != 200 or not parts.json()["results"]:
            raise RuntimeError(f"no part to file a claim on ({parts.status_code})")
        body = {
            "part": parts.json()["results"][0]["id"],
            "kind": "field",
            "severity": severity,
            "detection_location": "field_dealer",
            "detection_date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
            "symptom": f"{symptom} ({self.run_id})",
            "suspect_qty": 40,
            "nonconforming_qty": 3,
            "ppm_qty": 3,
        }
        filed = self.customer.post(f"{base}/api/v1/claims/", json=body)
        if filed.status_code != 201:
            raise RuntimeError(f"filing a claim answered {filed.status_code}: {filed.text[:300]}")
        return filed.json()

    def bucket_objects_with(self, content: bytes) -> list[str]:
        s3 = self.cluster.s3()
        listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        same_size = [item["Key"] for item in listed if item["Size"] == len(content)]
        return [key for key in same_size if self.bucket_object(s3, key) == content]

    @staticmethod
    def bucket_object(s3, key: str) -> bytes:
        return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def local_media_files(self) -> list[Path]:
        hosts = self.cluster.run_dir / "hosts"
        return [path for path in hosts.glob("*/var/media/**/*") if path.is_file()]

    # --- 3 ----------------------------------------------------------------------------------------

    def session_crosses_hosts(self):
        """The session cookie of a sign-in on web1 is a signed-in session on web2."""
        web2 = self.cluster.web_url("web2")
        with_session = self.customer.get(f"{web2}/")
        without = Browser().get(f"{web2}/")
        shown = CUSTOMER.encode() in with_session.content or b"logout" in with_session.content
        ok = with_session.status_code == 200 and shown and without.status_code == 302
        self.record(
            SHARED_SESSION,
            ok,
            f"web2 home with web1's cookie: {with_session.status_code}; "
            f"without: {without.status_code} → sign-in",
        )

    def lockout_crosses_hosts(self):
        """Failures counted on web1 lock the account on web2 too (django-axes, in the database)."""
        web1, web2 = self.cluster.web_url("web1"), self.cluster.web_url("web2")
        attacker = Browser()
        wrong = [
            attacker.sign_in(web1, LOCKED_CUSTOMER, f"wrong-{n}").status_code for n in range(5)
        ]
        right = Browser().sign_in(web2, LOCKED_CUSTOMER, self.passwords[LOCKED_CUSTOMER])
        ok = wrong[:4] == [200] * 4 and right.status_code == 429
        self.record(
            SHARED_LOCKOUT,
            ok,
            f"web1: {', '.join(map(str, wrong))}; then the right password on web2: "
            f"{right.status_code}" + (" (locked)" if right.status_code == 429 else ""),
        )

    def throttle_crosses_hosts(self):
        """Anonymous API calls alternating between the hosts hit the limit at the same total."""
        hosts = [self.cluster.web_url("web1"), self.cluster.web_url("web2")]
        anonymous = Browser()
        answers = []
        for n in range(ANON_THROTTLE_PER_MINUTE + 2):
            answer = anonymous.get(
                f"{hosts[n % 2]}/api/schema/", headers={"Accept": "application/json"}
            )
            answers.append(answer.status_code)
        first_refused = next((n + 1 for n, code in enumerate(answers) if code == 429), None)
        expected = [200] * ANON_THROTTLE_PER_MINUTE + [429, 429]
        self.record(
            SHARED_THROTTLE,
            answers == expected,
            f"limit {ANON_THROTTLE_PER_MINUTE}/min, alternating hosts: first 429 at request "
            f"{first_refused} of {len(answers)}",
        )

    # --- 4 and 5 ----------------------------------------------------------------------------------

    def report_survives_killed_worker(self):
        """The report worker running a report is killed (SIGKILL, with its children); the other
        worker host finishes it: one report, one PDF in the bucket, one mail. While it does, a
        safety claim's alert goes out (check 5)."""
        manager = Browser()
        proxy = self.cluster.proxy_url()
        signed_in = manager.sign_in(proxy, MANAGER, self.passwords[MANAGER])
        if signed_in.status_code != 302:
            raise RuntimeError(f"the manager's sign-in answered {signed_in.status_code}")
        month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        asked = manager.post(f"{proxy}/api/v1/reports/generate/", json={"period": month})
        if asked.status_code != 202:
            raise RuntimeError(f"generate answered {asked.status_code}: {asked.text[:200]}")
        report_id = asked.json()["id"]
        running = wait_until(
            lambda: self.report(report_id)["progress"] >= 10 and self.report(report_id),
            timeout=REPORT_TIMEOUT,
        )
        taken_by = self.report_host()
        if not running or taken_by is None:
            raise RuntimeError(f"the report did not start on a worker: {self.report(report_id)}")
        at_kill = self.report(report_id)
        killed_at = time.monotonic()
        victim = self.cluster.supervisor.by_name(f"{taken_by}-main")
        victim.kill_group()
        victim.process.wait(timeout=10)
        survivor = "worker2" if taken_by == "worker1" else "worker1"
        # While the other host runs the report again, a safety claim's alert must not wait for it.
        resumed = wait_until(
            lambda: (lambda r: r["attempts"] >= 2 and r["status"] == "running" and r)(
                self.report(report_id)
            ),
            timeout=REPORT_TIMEOUT,
        )
        try:
            alert = self.safety_alert_during_report(report_id, survivor, bool(resumed))
        except Exception as error:
            alert = Row(ALERT_BESIDE_REPORT, False, f"error: {error!r}"[:200])
        done = wait_until(
            lambda: (lambda r: r["status"] in ("done", "failed") and r)(self.report(report_id)),
            timeout=REPORT_TIMEOUT,
        )
        finished_after = time.monotonic() - killed_at
        # The mail goes out after the report is marked done, in the same task: wait for the task.
        wait_until(lambda: self.report_host(text="succeeded"), timeout=30)
        time.sleep(1)  # a second attempt that (wrongly) mailed again would show by now
        self.record_report_outcome(month, done, at_kill, taken_by, survivor, finished_after)
        self.rows.append(alert)

    def record_report_outcome(self, month, done, at_kill, taken_by, survivor, seconds):
        rows = self.query(
            f"SELECT count(*) FROM {self.cluster.settings['report_table']} WHERE period = %s",
            [f"{month}-01"],
        )[0][0]
        pdfs = self.cluster.s3().list_objects_v2(Bucket=BUCKET, Prefix=f"reports/{month}/")
        pdf_count = len(pdfs.get("Contents", []))
        mails = [
            found
            for found in self.mails()
            if f"Monthly management report {month}" in found[1]["Subject"]
        ]
        finished_by = self.report_host(text="succeeded")
        ok = (
            bool(done)
            and done["status"] == "done"
            and rows == 1
            and pdf_count == 1
            and len(mails) == 1
            and finished_by == survivor
        )
        self.record(
            REPORT_ONCE,
            ok,
            f"killed on {taken_by} at {at_kill['progress']} %, done by {finished_by} "
            f"{seconds:.0f} s later (attempt {done['attempts'] if done else '?'}); "
            f"{rows} row, {pdf_count} PDF, {len(mails)} mail",
        )

    def safety_alert_during_report(self, report_id: int, survivor: str, resumed: bool) -> Row:
        check = ALERT_BESIDE_REPORT
        if not resumed:
            return Row(check, False, "the report was not resumed by the other host")
        filed_at = time.monotonic()
        claim = self.file_claim(
            self.cluster.proxy_url(), severity="safety", symptom="Crack at the radius"
        )
        alert = wait_until(
            lambda: next(
                (found for found in self.mails() if claim["number"] in found[1]["Subject"]), None
            ),
            timeout=ALERT_TIMEOUT,
        )
        seconds = time.monotonic() - filed_at
        report = self.report(report_id)
        if not alert:
            return Row(check, False, f"no alert mail for {claim['number']} in {ALERT_TIMEOUT} s")
        sender = alert[0]
        ok = report["status"] == "running" and sender.endswith("-notifications")
        return Row(
            check,
            ok,
            f"{claim['number']} alert mailed by {sender} {seconds:.1f} s after filing; report "
            f"then {report['status']} at {report['progress']} % on {survivor}",
        )

    # --- reading the outcome ----------------------------------------------------------------------

    def report(self, report_id: int) -> dict:
        table = self.cluster.settings["report_table"]
        status, progress, attempts = self.query(
            f"SELECT status, progress, attempts FROM {table} WHERE id = %s", [report_id]
        )[0]
        return {"status": status, "progress": progress, "attempts": attempts}

    def report_host(self, text: str = "received") -> str | None:
        """The worker host whose report worker logged ``text`` for a report task (the run
        generates one report)."""
        for host in ("worker1", "worker2"):
            log = self.cluster.supervisor.by_name(f"{host}-main").log.read_text(errors="replace")
            for line in log.splitlines():
                if "metrics.generate_report[" in line and text in line:
                    return host
        return None

    def query(self, sql: str, params: list) -> list[tuple]:
        with self.cluster.run_database() as connection:
            return connection.execute(sql, params).fetchall()

    def mails(self) -> list[tuple[str, email.message.EmailMessage]]:
        """Every mail written so far, with the process that sent it."""
        found = []
        for folder in sorted((self.cluster.run_dir / "mail").iterdir()):
            for path in sorted(folder.glob("*")):
                for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                    if chunk.strip():
                        message = email.message_from_bytes(chunk, policy=email.policy.default)
                        found.append((folder.name, message))
        return found
