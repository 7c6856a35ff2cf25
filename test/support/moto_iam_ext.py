"""
TEST-ONLY EXTENSION OF MOTO. Starts moto's own server after adding what the extension's IAM
calls need and moto (checked up to 5.2.5) does not do: PutUserPermissionsBoundary and
DeleteUserPermissionsBoundary, the checks IAM makes on a role's boundary and on attaching an
AWS service-role policy, and the protection of service-linked roles.

Why it exists: moto has PutRolePermissionsBoundary but not the user variant, and GetUser never
returns a PermissionsBoundary; moto lets anyone change a service-linked role. Without this,
these commands could only be tested against a fake, which would prove nothing about the SDK
calls.

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
  * DeleteUserPermissionsBoundary(UserName): NoSuchEntity for a user that does not exist;
    a user without a boundary is left as it is, as IAM does.
  * PutRolePermissionsBoundary makes the same checks as the user variant (moto only checks the
    ARN's form and stores any ARN, even of a policy that does not exist).
  * Attach{User,Group,Role}Policy of an AWS service-role policy (path /aws-service-role/)
    -> PolicyNotAttachable, as IAM answers ("Cannot attach a Service Role Policy to a
    Customer Role.").
  * ListUsers, ListGroups, List{User,Group,Role}Policies and ListPolicyVersions read by pages
    of MaxItems (default 100) with a Marker and IsTruncated, as IAM does; moto answers them in
    one piece whatever MaxItems says (its ListRoles, ListPolicies and ListAttached*Policies
    already page).
  * A service-linked role (path /aws-service-role/) cannot be changed: PutRolePolicy,
    DeleteRolePolicy, AttachRolePolicy, DetachRolePolicy, UpdateAssumeRolePolicy,
    PutRolePermissionsBoundary and DeleteRolePermissionsBoundary answer UnmodifiableEntity
    (400) with IAM's message, before anything else is checked.

If a moto version ever implements the user boundary actions itself, this script refuses to
patch them and says so, so the extension is dropped instead of silently shadowing moto.

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
from moto.core.responses import ActionResult, EmptyResult
from moto.iam.exceptions import IAMException, InvalidInput, NoSuchEntity
from moto.iam.models import User
from moto.iam.responses import IamResponse
from moto.server import main as moto_server_main


class PolicyNotAttachable(IAMException):
    code = "PolicyNotAttachable"


class UnmodifiableEntity(IAMException):
    code = "UnmodifiableEntity"


SERVICE_ROLE_PATH = "/aws-service-role/"


def _user_permissions_boundary(self: User) -> dict[str, str] | None:
    arn = getattr(self, "permissions_boundary_arn", None)
    if not arn:
        return None
    return {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": arn,
    }


def _checked_boundary(backend, boundary_arn: str | None, get_entity):  # type: ignore[no-untyped-def]
    """IAM's checks of a PermissionsBoundary, in IAM's order; returns the entity."""
    if not backend.policy_arn_regex.match(boundary_arn or ""):
        raise InvalidInput(f"ARN {boundary_arn} is not valid.")
    found = get_entity()  # raises NoSuchEntity like IAM
    policy = backend.managed_policies.get(boundary_arn)
    if policy is None:
        raise NoSuchEntity(f"Policy {boundary_arn} does not exist or is not attachable.")
    if getattr(policy, "path", "").startswith(SERVICE_ROLE_PATH):
        raise PolicyNotAttachable(
            "Cannot apply policy for permissions boundary: "
            f"{boundary_arn} is an AWS service role policy."
        )
    return found


def _put_user_permissions_boundary(self: IamResponse) -> EmptyResult:
    user_name = self._get_param("UserName")
    boundary_arn = self._get_param("PermissionsBoundary")
    user = _checked_boundary(self.backend, boundary_arn, lambda: self.backend.get_user(user_name))
    user.permissions_boundary_arn = boundary_arn
    return EmptyResult()


def _delete_user_permissions_boundary(self: IamResponse) -> EmptyResult:
    user = self.backend.get_user(self._get_param("UserName"))  # raises NoSuchEntity like IAM
    user.permissions_boundary_arn = None
    return EmptyResult()


def _put_role_permissions_boundary(self: IamResponse) -> EmptyResult:
    role_name = self._get_param("RoleName")
    boundary_arn = self._get_param("PermissionsBoundary")
    role = _checked_boundary(self.backend, boundary_arn, lambda: self.backend.get_role(role_name))
    role.permissions_boundary_arn = boundary_arn
    return EmptyResult()


def _protect_service_linked_roles(action: str) -> None:
    """IAM refuses any change to a service-linked role: only its AWS service may change it."""
    original = getattr(IamResponse, action)

    def guarded(self: IamResponse):  # type: ignore[no-untyped-def]
        role_name = self._get_param("RoleName")
        role = next((role for role in self.backend.get_roles() if role.name == role_name), None)
        if role is not None and (role.path or "").startswith(SERVICE_ROLE_PATH):
            raise UnmodifiableEntity(
                f"Cannot perform the operation on the protected role '{role_name}' - this role is only modifiable by AWS"
            )
        return original(self)

    setattr(IamResponse, action, guarded)


def _refuse_service_role_policies(action: str) -> None:
    """IAM attaches an AWS service-role policy only to its service-linked role."""
    original = getattr(IamResponse, action)

    def guarded(self: IamResponse):  # type: ignore[no-untyped-def]
        policy = self.backend.managed_policies.get(self._get_param("PolicyArn") or "")
        if policy is not None and getattr(policy, "path", "").startswith(SERVICE_ROLE_PATH):
            raise PolicyNotAttachable("Cannot attach a Service Role Policy to a Customer Role.")
        return original(self)

    setattr(IamResponse, action, guarded)


def _paginate(action: str, key: str) -> None:
    """Pages a list moto returns whole: Marker is the index of the first item of the page."""
    original = getattr(IamResponse, action)

    def paged(self: IamResponse):  # type: ignore[no-untyped-def]
        answer = original(self)
        result = dict(answer.result)
        items = list(result.get(key) or [])
        marker = self._get_param("Marker")
        start = int(marker) if marker and str(marker).isdigit() else 0
        size = self._get_int_param("MaxItems", 100)
        page = items[start : start + size]
        more = start + size < len(items)
        result[key] = page
        result["IsTruncated"] = more
        result["Marker"] = str(start + size) if more else None
        return ActionResult(result)

    setattr(IamResponse, action, paged)


def install() -> None:
    for action in ("put_user_permissions_boundary", "delete_user_permissions_boundary"):
        if hasattr(IamResponse, action):
            sys.exit(
                f"moto {moto.__version__} implements {action} itself: "
                "remove it from test/support/moto_iam_ext.py."
            )
    IamResponse.put_user_permissions_boundary = _put_user_permissions_boundary  # type: ignore[attr-defined]
    IamResponse.delete_user_permissions_boundary = _delete_user_permissions_boundary  # type: ignore[attr-defined]
    IamResponse.put_role_permissions_boundary = _put_role_permissions_boundary  # type: ignore[method-assign]
    User.permissions_boundary = property(_user_permissions_boundary)  # type: ignore[attr-defined]
    for action in ("attach_user_policy", "attach_group_policy", "attach_role_policy"):
        _refuse_service_role_policies(action)
    for action, key in (
        ("list_users", "Users"),
        ("list_groups", "Groups"),
        ("list_user_policies", "PolicyNames"),
        ("list_group_policies", "PolicyNames"),
        ("list_role_policies", "PolicyNames"),
        ("list_policy_versions", "Versions"),
    ):
        _paginate(action, key)
    # Last, so that the protection comes before every other check, as in IAM.
    for action in (
        "put_role_policy",
        "delete_role_policy",
        "attach_role_policy",
        "detach_role_policy",
        "update_assume_role_policy",
        "put_role_permissions_boundary",
        "delete_role_permissions_boundary",
    ):
        _protect_service_linked_roles(action)


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
