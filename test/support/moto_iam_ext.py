"""
TEST-ONLY EXTENSION OF MOTO. Starts moto's own server after adding the one IAM action the
push commands need that moto does not implement: PutUserPermissionsBoundary.

Why it exists: moto (checked up to 5.2.5) has PutRolePermissionsBoundary but not the user
variant, and GetUser never returns a PermissionsBoundary. Without this, the boundary command
could only be tested against a fake, which would prove nothing about the SDK calls.

What it adds, and nothing else (every other IAM action is moto's own):
  * PutUserPermissionsBoundary(UserName, PermissionsBoundary), with the checks IAM documents,
    in the order IAM applies them:
      - the ARN must be an IAM managed policy ARN      -> InvalidInput (400)
      - the user must exist                            -> NoSuchEntity (404)
      - the managed policy must exist                  -> NoSuchEntity (404)
      - an AWS service-role policy (path /aws-service-role/) cannot be a boundary
                                                       -> PolicyNotAttachable (400)
    Length and pattern constraints of the parameters are left to moto's request parsing,
    as for every other action.
  * GetUser returns the stored boundary as User.PermissionsBoundary
    {PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn}, the
    value the API model's PermissionsBoundaryAttachmentType enum allows.

If a moto version ever implements the action itself, this script refuses to patch it and
says so, so the extension is dropped instead of silently shadowing moto.

Usage: python moto_iam_ext.py [--exit-on-stdin-eof] --host 127.0.0.1 --port PORT
(the other arguments are moto_server's). With --exit-on-stdin-eof the server exits when its
standard input closes, which happens when the test process that started it dies, however it
dies: no moto server outlives its test run.
"""

from __future__ import annotations

import os
import sys
import threading

import moto
from moto.core.responses import EmptyResult
from moto.iam.exceptions import IAMException, InvalidInput, NoSuchEntity
from moto.iam.models import User
from moto.iam.responses import IamResponse
from moto.server import main as moto_server_main


class PolicyNotAttachable(IAMException):
    code = "PolicyNotAttachable"


def _user_permissions_boundary(self: User) -> dict[str, str] | None:
    arn = getattr(self, "permissions_boundary_arn", None)
    if not arn:
        return None
    return {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": arn,
    }


def _put_user_permissions_boundary(self: IamResponse) -> EmptyResult:
    user_name = self._get_param("UserName")
    boundary_arn = self._get_param("PermissionsBoundary")
    backend = self.backend
    if not backend.policy_arn_regex.match(boundary_arn or ""):
        raise InvalidInput(f"ARN {boundary_arn} is not valid.")
    user = backend.get_user(user_name)  # raises NoSuchEntity like IAM
    policy = backend.managed_policies.get(boundary_arn)
    if policy is None:
        raise NoSuchEntity(f"Policy {boundary_arn} does not exist or is not attachable.")
    if getattr(policy, "path", "").startswith("/aws-service-role/"):
        raise PolicyNotAttachable(
            "Cannot apply policy for permissions boundary: "
            f"{boundary_arn} is an AWS service role policy."
        )
    user.permissions_boundary_arn = boundary_arn
    return EmptyResult()


def install() -> None:
    if hasattr(IamResponse, "put_user_permissions_boundary"):
        sys.exit(
            f"moto {moto.__version__} implements PutUserPermissionsBoundary itself: "
            "remove test/support/moto_iam_ext.py and start moto_server directly."
        )
    IamResponse.put_user_permissions_boundary = _put_user_permissions_boundary  # type: ignore[attr-defined]
    User.permissions_boundary = property(_user_permissions_boundary)  # type: ignore[attr-defined]


def exit_when_stdin_closes() -> None:
    def watch() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        os._exit(0)

    threading.Thread(target=watch, name="exit-on-stdin-eof", daemon=True).start()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if "--exit-on-stdin-eof" in arguments:
        arguments.remove("--exit-on-stdin-eof")
        exit_when_stdin_closes()
    install()
    moto_server_main(arguments)
