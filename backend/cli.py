"""flask commands: seed-demo, create-admin, worker."""
import click
from flask import Flask

from backend.extensions import db


def register_commands(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo community (does nothing if it is there)."""
        from backend.demo import seed
        created = seed()
        click.echo("Demo community loaded." if created else "Demo community already present.")

    @app.cli.command("demo-logins")
    def demo_logins():
        """Print the demo accounts."""
        from backend.demo import LOGINS_TEXT
        click.echo(LOGINS_TEXT)

    @app.cli.command("create-admin")
    @click.option("--phone", prompt=True)
    @click.option("--name", default="管理员")
    @click.password_option()
    def create_admin(phone, name, password):
        """Create the first administrator, or make an existing user one."""
        from backend.accounts.models import User
        from backend.accounts.services import _user_by_phone, hash_password
        from backend.common.fields import normalize_phone
        phone = normalize_phone(phone)
        if not phone:
            raise click.BadParameter("not a mainland mobile number", param_hint="--phone")
        user = _user_by_phone(phone) or User(phone=phone, name=name, password_hash=hash_password(password))
        user.is_admin = True
        db.session.add(user)
        db.session.commit()
        click.echo(f"Administrator {phone} ready.")

    @app.cli.command("worker")
    @click.option("--job", "only", multiple=True, help="Run only this job (repeatable); all of them by default.")
    @click.option("--idle-sleep", default=1.0, show_default=True, help="Seconds to wait when nothing was due.")
    def worker(only, idle_sleep):
        """Run the background jobs until stopped."""
        from backend.worker import run_forever
        run_forever(idle_sleep, only)

    @app.cli.command("vapid-keys")
    @click.option("--new", is_flag=True, help="Print a fresh private key for VAPID_PRIVATE_KEY instead.")
    def vapid_keys(new):
        """Show the Web Push public key (making the key pair under instance/ if there is none)."""
        from backend.push import vapid
        if new:
            click.echo(vapid.new_private_pem().decode())
            return
        click.echo(f"public key (applicationServerKey): {vapid.public_key()}")
