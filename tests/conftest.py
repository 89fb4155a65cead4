from __future__ import annotations

import email
import email.policy
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher


def pytest_collection_finish(session: pytest.Session) -> None:
    """A test module with a slow process of its own (test_atheris.py) may start it as soon as the
    run has collected its tests, by defining start_early(folder): on two cores it then runs while
    the tests before it do, and its test waits for it. Not on an xdist worker, which may not run it."""
    if os.environ.get("PYTEST_XDIST_WORKER") or session.config.option.collectonly:
        return
    factory: pytest.TempPathFactory = session.config._tmp_path_factory  # type: ignore[attr-defined]
    modules = {item.module for item in session.items if isinstance(item, pytest.Function)}
    for module in sorted(modules, key=lambda m: m.__name__):
        if start_early := getattr(module, "start_early", None):
            start_early(factory.mktemp("early"))
            session.config.add_cleanup(module.stop_early)


# Under `make test` the two runs go at once, one a core (SHISHIN_TESTS_SHARED=1): the fuzzers, which
# reach no database, run in the PostgreSQL run instead of the SQLite run, so that both end together.
SHARED_TO_POSTGRES = ("tests/report/test_fuzz.py", "tests/report/test_table_text_property.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL (the second run of `make test`), run the tests that reach a database: those using
    Django's test database, and those marked `database` (they start `shishin` processes on the
    server). A test that cannot reach one (parsing, the formats, the fuzzers) would only repeat
    the first run; it runs there. So does one marked `markup` (axe-core on the pages, the walks in a
    browser: the markup and its scripts are the same whichever database the data came from, and the
    steps they take are tested over HTTP on both). When both runs share the work (`make test`), the
    modules in SHARED_TO_POSTGRES run on PostgreSQL alone."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    shared = os.environ.get("SHISHIN_TESTS_SHARED") == "1"
    if not on_postgres and not shared:
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        reaches = bool(
            "django_db_setup" in getattr(item, "fixturenames", ())
            or item.get_closest_marker("database")
            or item.get_closest_marker("django_db")
        )
        moved = shared and not reaches and item.nodeid.startswith(SHARED_TO_POSTGRES)
        on_this_run = (reaches and not item.get_closest_marker("markup")) or moved if on_postgres else not moved
        (kept if on_this_run else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(autouse=True, scope="session")
def _mail_on_committing_thread() -> Iterator[None]:
    """Send queued mail on the thread that commits: the test database's transaction wraps the test,
    and a sending thread of its own would not see the mail (`shishin.plans.mail`)."""
    from django.test import override_settings

    with override_settings(SHISHIN_MAIL_IN_BACKGROUND=False):
        yield


class Inbox:
    """What the `inbox` SMTP server received: (recipients, message) in order."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on loopback (aiosmtpd) that the test's mail goes to."""
    import socket

    from aiosmtpd.controller import Controller
    from django.test import override_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=port
    ):
        yield handler
    controller.stop()


# A copy of ../shared/fixtures/koganei-bohan-h30-torikumi.expected.json: one correct reading of the seed.
FIXTURE = Path(__file__).parent / "data" / "koganei-bohan-h30-torikumi.expected.json"


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    """The FY2018 report as shipped in the package."""
    return resources.files("shishin.demo").joinpath("koganei-bohan-h30-torikumi.txt").read_bytes()


@pytest.fixture
def seed_path(tmp_path: Path, seed_bytes: bytes) -> Path:
    path = tmp_path / "koganei-bohan-h30-torikumi.txt"
    path.write_bytes(seed_bytes)
    return path


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a database `shishin migrate` made, once for the run, for tests of `shishin` processes
    that start from a migrated database: `helpers.new_database(..., template=migrated)` copies it."""
    import subprocess
    import sys

    from .helpers import new_database

    with new_database(tmp_path_factory.mktemp("template"), "template") as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SHISHIN_", "DATABASE_URL", "DJANGO_"))}
        shishin = str(Path(sys.executable).parent / "shishin")
        subprocess.run([shishin, "migrate", "-v0"], env={**env, "DATABASE_URL": url}, check=True, timeout=300)
        yield url


@pytest.fixture(scope="session")
def expected_reading() -> dict[str, Any]:
    """One correct reading of the seed, kept in ../shared/fixtures."""
    result: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return result


@dataclass
class People:
    """Alice compiles the report (administrator); Bob writes for 地域安全課 and Carol for 学務課
    (editors); Dave sits on the council (reviewer); Erin has an account but no role."""

    alice: Any
    bob: Any
    carol: Any
    dave: Any
    erin: Any

    def all(self) -> dict[str, Any]:
        return {"alice": self.alice, "bob": self.bob, "carol": self.carol, "dave": self.dave, "erin": self.erin}


PASSWORD = "correct-horse-battery"
PEOPLE = ("alice", "bob", "carol", "dave", "erin")


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 as the settings use it, at the least cost: the settings' costs (100 MiB, 8 lanes, a
    fifth of a second a hash) guard real passwords; the tests' sign-ins need none of it."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing() -> Iterator[None]:
    """Passwords in the tests are hashed and checked with Argon2 at its least cost, in place of the
    settings' Argon2 (a hash made with the settings' costs is still read: Argon2 reads them from it)."""
    from django.conf import settings
    from django.test import override_settings
    from django.utils.module_loading import import_string

    quick = f"{__name__}.{QuickArgon2PasswordHasher.__name__}"
    others = [path for path in settings.PASSWORD_HASHERS if import_string(path).algorithm != "argon2"]
    with override_settings(PASSWORD_HASHERS=[quick, *others]):
        yield


@pytest.fixture(scope="session")
def password_hash() -> str:
    """PASSWORD as the tests hash it (Argon2, `_quick_password_hashing`), made once."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def _new_people(password_hash: str) -> People:
    from django.contrib.auth.models import User

    from shishin.plans.models import Department, Membership, Municipality

    # The seed's city and departments; importing the seed later finds and reuses them.
    municipality, _ = Municipality.objects.get_or_create(
        code="132101", defaults={"name": "小金井市", "prefecture": "東京都"}
    )

    def person(name: str, role: str | None, departments: list[str]) -> Any:
        user = User.objects.create(username=name, email=f"{name}@example.jp", password=password_hash)
        if role:
            membership = Membership.objects.create(user=user, role=role)
            membership.departments.set(
                Department.objects.get_or_create(municipality=municipality, name=name)[0] for name in departments
            )
        return user

    return People(
        alice=person("alice", "administrator", []),
        bob=person("bob", "editor", ["地域安全課"]),
        carol=person("carol", "editor", ["学務課"]),
        dave=person("dave", "reviewer", []),
        erin=person("erin", None, []),
    )


@pytest.fixture
def people(request: pytest.FixtureRequest, db: Any, password_hash: str) -> People:
    from django.contrib.auth.models import User

    for name in request.fixturenames:
        if name.startswith("seeded"):
            # Imported rows (the `seeded…` fixtures) go in first, as they are put back whole;
            # the people then join their city's departments.
            request.getfixturevalue(name)
    if "seeded_2019_open" in request.fixturenames:
        # That world was made with the people in it.
        return People(**{user.username: user for user in User.objects.filter(username__in=PEOPLE)})
    return _new_people(password_hash)


def _put_back_default_units() -> None:
    from shishin.lib.quantities import DEFAULT_UNITS
    from shishin.plans.models import Unit

    Unit.objects.bulk_create([Unit(name=n, label=label) for n, label in DEFAULT_UNITS.items()], ignore_conflicts=True)


@pytest.fixture(autouse=True)
def _migrated_units(request: pytest.FixtureRequest) -> None:
    """Every database test starts with the units the migrations add, whatever ran before it: a
    transactional test's flush removes them, and in another order (or on an xdist worker) any
    test may come after one. Inside an ordinary test's transaction this is one statement, undone
    with the rest."""
    if request.node.get_closest_marker("django_db") or "_django_db_helper" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")
        _put_back_default_units()


@pytest.fixture
def default_units(transactional_db: Any) -> None:
    """Put back the units the migrations add (every database test now has them: `_migrated_units`)."""
    _put_back_default_units()


@dataclass(frozen=True)
class ImportedRows:
    """The rows `shishin import` of some reports wrote, table by table, as the database takes them:
    what a test that starts from those reports needs, written back in a few statements."""

    tables: list[tuple[Any, str, list[tuple[Any, ...]]]]  # (model, INSERT statement, rows)
    plans: list[int]

    @classmethod
    def capture(cls, django_db_blocker: Any, *paths: Path, then: Callable[[], object] | None = None) -> ImportedRows:
        """Import the reports once (and do ``then`` after, if given), keep the rows written, and roll it all back."""
        from django.apps import apps
        from django.db import connection, transaction

        from shishin.plans.models import Plan

        from .helpers import run

        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
        with django_db_blocker.unblock(), transaction.atomic():
            # The state an ordinary test starts from: the migrations' units, even after a flush.
            _put_back_default_units()
            before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
            status, _, err = run("import", *map(str, paths))
            assert status == 0, err
            if then:
                then()
            written = {}
            for model in models:
                new = [o for o in model._base_manager.order_by("pk") if o.pk not in before[model]]
                if new:
                    written[model] = new
            tables = []
            qn = connection.ops.quote_name
            for model, objects in written.items():
                fields = model._meta.concrete_fields
                for field in fields:
                    # The rows refer only to each other: they go into any database that has none of them.
                    if field.is_relation and field.related_model not in written:
                        assert all(getattr(o, field.attname) is None for o in objects), (model, field)
                insert = "INSERT INTO {} ({}) VALUES ({})".format(
                    qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
                )
                rows = [tuple(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields) for o in objects]
                tables.append((model, insert, rows))
            transaction.set_rollback(True)
        return cls(tables, [plan.pk for plan in written[Plan]])

    def put_back(self) -> None:
        from django.core.management.color import no_style
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:
            for _, insert, rows in self.tables:
                cursor.executemany(insert, rows)
            # PostgreSQL's sequences do not see rows written with their ids; SQLite's need no help.
            for statement in connection.ops.sequence_reset_sql(no_style(), [model for model, _, _ in self.tables]):
                cursor.execute(statement)


@pytest.fixture(scope="session")
def _seed_rows(
    django_db_setup: None, django_db_blocker: Any, seed_bytes: bytes, tmp_path_factory: pytest.TempPathFactory
) -> ImportedRows:
    """The seed, imported once per test run."""
    path = tmp_path_factory.mktemp("seed") / "koganei-bohan-h30-torikumi.txt"
    path.write_bytes(seed_bytes)
    return ImportedRows.capture(django_db_blocker, path)


@pytest.fixture
def seeded(request: pytest.FixtureRequest, db: Any, _seed_rows: ImportedRows) -> Any:
    """The seed as `shishin import` stores it, for a test that starts from it: the rows of one import
    made for the whole test run, written again (tens of queries instead of hundreds). Returns its plan."""
    from shishin.plans.models import Plan

    if "seeded_2019_open" in request.fixturenames:
        # The test starts from the seed with 2019 open: that world holds the seed.
        return request.getfixturevalue("seeded_2019_open")
    _seed_rows.put_back()
    (plan,) = _seed_rows.plans
    return Plan.objects.get(pk=plan)


@pytest.fixture(scope="session")
def _seed_2019_open_rows(
    django_db_setup: None,
    django_db_blocker: Any,
    seed_bytes: bytes,
    password_hash: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> ImportedRows:
    """The seed, the people, and 2019 opened by alice: made once per test run."""
    from shishin.plans import actions
    from shishin.plans.models import Plan

    def open_2019() -> None:
        people = _new_people(password_hash)
        actions.do_open_fiscal_year(Plan.objects.get(), 2019, deadline=None, by=people.alice)

    path = tmp_path_factory.mktemp("seed") / "koganei-bohan-h30-torikumi.txt"
    path.write_bytes(seed_bytes)
    return ImportedRows.capture(django_db_blocker, path, then=open_2019)


@pytest.fixture
def seeded_2019_open(db: Any, _seed_2019_open_rows: ImportedRows) -> Any:
    """The seed with 2019 opened for collection (no deadline) by alice, and the people (`people` finds
    them): what many tests start from, made once for the test run and written again (as `seeded`),
    instead of opening the year, which copies every record, in each test. Returns the plan."""
    from shishin.plans.models import Plan

    _seed_2019_open_rows.put_back()
    (plan,) = _seed_2019_open_rows.plans
    return Plan.objects.get(pk=plan)


@pytest.fixture(scope="session", autouse=True)
def _cache_of_its_own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The test run caches pages and keeps editions' files in folders of its own, not in var/ beside
    the developer's database: ids repeat from one database to another (each xdist worker has its own)."""
    from django.conf import settings
    from django.test import override_settings

    cache = str(tmp_path_factory.mktemp("cache"))
    editions = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("editions"))},
    }
    with override_settings(
        CACHES={**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": cache}},
        STORAGES={**settings.STORAGES, "editions": editions},
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def _each_pdf_laid_out_once() -> Iterator[None]:
    """WeasyPrint writes the same HTML into the same PDF, byte for byte, and takes a second or more a
    report to lay it out: the test run keeps each PDF it wrote by the HTML and the options it came
    from, and gives it again when asked for the same (a year published in many tests, the same preview
    asked by every role). Any other HTML is laid out as usual."""
    import weasyprint

    real = weasyprint.HTML
    written: dict[tuple[str, str], bytes] = {}

    class RememberedHTML:
        def __init__(self, *, string: str, **options: Any) -> None:
            self.string, self.options = string, options

        def write_pdf(self, **options: Any) -> bytes:
            key = (self.string, repr((sorted(self.options.items()), sorted(options.items()))))
            if key not in written:
                written[key] = real(string=self.string, **self.options).write_pdf(**options)
            return written[key]

    weasyprint.HTML = RememberedHTML
    yield
    weasyprint.HTML = real


@pytest.fixture(autouse=True)
def _empty_cache(settings: Any) -> None:
    """Each test starts with no cached pages: another test's database may have used the same ids."""
    from django.core.cache import cache

    cache.clear()
    settings.REPORT_PAGE_MEMORY_SECONDS = 0
