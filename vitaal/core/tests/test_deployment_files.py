"""The sample deployment files in ops/ agree with the code and with docs/deployment.md: the
commands they run exist and accept their options, paths match the guide, and the files pass
``systemd-analyze verify`` / ``nginx -t`` where those tools are installed."""

from __future__ import annotations

import re
import runpy
import shlex
import shutil
import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

from vitaal.cli import ALIASES

REPO = Path(settings.BASE_DIR)
OPS = REPO / "ops"
SYSTEMD = OPS / "systemd"
INSTALL_DIR = "/srv/vitaal"
ENV_FILE = "/etc/vitaal/env"
UNITS = [
    "vitaal-web.service",
    "vitaal-worker.service",
    "vitaal-periodic.service",
    "vitaal-periodic.timer",
    "vitaal-backup.service",
    "vitaal-backup.timer",
    "vitaal-restore-drill.service",
    "vitaal-restore-drill.timer",
]
GUIDE = REPO / "docs" / "deployment.md"


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file as section -> key -> values (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in (SYSTEMD / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _sep, value = line.partition("=")
        assert current is not None and _sep, f"{name}: {raw!r} outside a section or without '='"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def guide_env() -> dict[str, str]:
    """The variables of the environment file shown in the deployment guide."""
    block = re.search(r"```bash\n# " + re.escape(ENV_FILE) + r"\n(.*?)```", GUIDE.read_text(), re.S)
    assert block, f"docs/deployment.md shows {ENV_FILE} in a bash block starting with '# {ENV_FILE}'"
    pairs = (line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_every_sample_file_exists_and_the_guide_uses_it():
    guide = GUIDE.read_text()
    for name in UNITS:
        assert (SYSTEMD / name).is_file(), name
        assert name in guide, f"docs/deployment.md does not mention {name}"
    for path in ("ops/nginx/vitaal.conf", "ops/gunicorn.conf.py"):
        assert (REPO / path).is_file(), path
        assert path in guide, f"docs/deployment.md does not mention {path}"
    for doc in ("docs/backups.md", "docs/retention.md"):
        assert Path(doc).name in guide


@pytest.mark.parametrize("name", [n for n in UNITS if n.endswith(".service")])
def test_services_run_commands_that_exist_with_options_they_accept(name):
    service = unit(name)["Service"]
    assert service["EnvironmentFile"] == [ENV_FILE]
    assert service["WorkingDirectory"] == [INSTALL_DIR]
    (exec_start,) = service["ExecStart"]
    program, *args = shlex.split(exec_start)
    assert program.startswith(f"{INSTALL_DIR}/.venv/bin/")
    if program.endswith("/gunicorn"):
        assert args[0] == "vitaal.wsgi" and find_spec("vitaal.wsgi") is not None
        config = args[args.index("--config") + 1]
        assert (REPO / Path(config).relative_to(INSTALL_DIR)).is_file()
        return
    assert program.endswith("/vitaal")
    command, *options = args
    command = command.replace("-", "_")
    if command in ALIASES:
        command, *extra = ALIASES[command]
        options = extra + options
    commands = get_commands()
    assert command in commands, f"{name} runs `vitaal {args[0]}`, which does not exist"
    parser = load_command_class(commands[command], command).create_parser("vitaal", command)
    parser.parse_args(options)  # an unknown option raises CommandError


def test_paths_in_the_units_match_the_environment_of_the_guide():
    env = guide_env()
    assert env["VITAAL_PROFILE"] == "production"
    for name in ("vitaal-web.service", "vitaal-worker.service"):
        assert unit(name)["Service"]["ReadWritePaths"] == [env["VITAAL_DATA_DIR"]]
    assert unit("vitaal-backup.service")["Service"]["ReadWritePaths"] == [env["VITAAL_BACKUP_DIR"]]
    assert not Path(env["VITAAL_BACKUP_DIR"]).is_relative_to(env["VITAAL_DATA_DIR"])
    for name in UNITS:
        if name.endswith(".timer"):
            target = unit(name)["Timer"]["Unit"][0]
            assert target == name.replace(".timer", ".service") and (SYSTEMD / target).is_file()


def _installed_copies(tmp_path: Path) -> Path:
    """The units with the install paths pointing at this checkout, so executables exist."""
    env_file = tmp_path / "env"
    env_file.write_text("VITAAL_PROFILE=production\n")
    for name in UNITS:
        text = (SYSTEMD / name).read_text().replace(ENV_FILE, str(env_file)).replace(INSTALL_DIR, str(REPO))
        text = re.sub(r"^(User|Group)=vitaal$", r"\1=root", text, flags=re.M)
        (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_units_pass_systemd_analyze_verify(tmp_path):
    if not (REPO / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("needs the .venv of `make env`")
    folder = _installed_copies(tmp_path)
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(folder / name) for name in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr.strip() and not done.stdout.strip(), done.stderr
    for name in UNITS:
        if name.endswith(".timer"):
            for spec in unit(name)["Timer"]["OnCalendar"]:
                check = subprocess.run(
                    ["systemd-analyze", "calendar", spec], capture_output=True, check=False
                )
                assert check.returncode == 0, f"{name}: OnCalendar={spec}"


def gunicorn_settings() -> dict[str, object]:
    return {
        key: value
        for key, value in runpy.run_path(str(OPS / "gunicorn.conf.py")).items()
        if not key.startswith("_") and key.islower() and not hasattr(value, "__spec__")
    }


def test_gunicorn_config_uses_only_real_settings():
    from gunicorn.config import Config

    config = Config()
    values = gunicorn_settings()
    unknown = set(values) - set(config.settings)
    assert not unknown, f"not gunicorn settings (misspelt?): {unknown}"
    for key, value in values.items():
        config.set(key, value)  # validates the value
    assert config.workers >= 1 and not config.preload_app


NGINX = OPS / "nginx" / "vitaal.conf"


def test_nginx_site_passes_what_the_application_relies_on():
    conf = re.sub(r"#.*", "", NGINX.read_text())
    assert conf.count("{") == conf.count("}")
    assert re.search(r"proxy_set_header\s+X-Real-IP\s+\$remote_addr;", conf), "X-Real-IP overwritten"
    assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;", conf)
    assert re.search(r"proxy_set_header\s+Host\s+\$host;", conf)
    assert re.search(r"listen\s+443\s+ssl", conf) and "ssl_certificate_key" in conf
    assert "Strict-Transport-Security" not in conf, "HSTS comes from the application"
    size = re.search(r"client_max_body_size\s+(\d+)m;", conf)
    assert size and int(size.group(1)) * 1024 * 1024 > settings.VITAAL_MAX_UPLOAD_BYTES
    upstream = re.findall(r"^\s*server\s+([\d.]+:\d+)", conf, re.M)
    assert gunicorn_settings()["bind"] in upstream, "the upstream points at gunicorn's default bind"


@pytest.mark.skipif(not (shutil.which("nginx") and shutil.which("openssl")), reason="nginx is not installed")
def test_nginx_site_passes_nginx_t(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    self_signed = ["-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=vitaal.example.org", "-days", "1"]
    subprocess.run(
        ["openssl", "req", *self_signed, "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        check=True,
    )
    site = NGINX.read_text().replace("/var/log/nginx", str(tmp_path))
    site = re.sub(r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};", site)
    site = re.sub(r"ssl_certificate \S+;", f"ssl_certificate {cert};", site)
    (tmp_path / "site.conf").write_text(site)
    main = f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
    main += f"http {{ access_log off; include {tmp_path}/site.conf; }}\n"
    (tmp_path / "nginx.conf").write_text(main)
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db
def test_the_shared_cache_of_the_multi_server_setup_works(settings):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "vitaal_cache"}
    }
    call_command("createcachetable", verbosity=0)
    caches["default"].set("spent-totp", "123456", 60)
    assert caches["default"].get("spent-totp") == "123456"
