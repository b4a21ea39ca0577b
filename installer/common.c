/* SPDX-License-Identifier: MIT */
/* Checks shared by the commands (see lspinst.h). */
#include "lspinst.h"
#include "apply.h"
#include "read.h"
#include "txn.h"

BOOL is_admin(void)
{
    SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    TOKEN_ELEVATION elevation;
    HANDLE token;
    PSID admins;
    DWORD size;
    BOOL known = FALSE, admin = FALSE;

    /* Vista and later: an administrator's unelevated token cannot write
     * the catalog, so elevation is what counts. */
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
        known = GetTokenInformation(token, TokenElevation, &elevation, sizeof(elevation), &size);
        admin = known && elevation.TokenIsElevated;
        CloseHandle(token);
    }
    if (known)
        return admin;
    /* Before Vista: membership of Administrators. */
    if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0,
                                  0, 0, 0, 0, 0, &admins))
        return FALSE;
    if (!CheckTokenMembership(NULL, admins, &admin))
        admin = FALSE;
    FreeSid(admins);
    return admin;
}

BOOL under_wow64(void)
{
    BOOL wow64 = FALSE;

    return IsWow64Process(GetCurrentProcess(), &wow64) && wow64;
}

int require_admin(const char *command)
{
    if (is_admin())
        return 0;
    complain("'%s' changes what Winsock loads into every program and needs administrator "
             "rights: run it from an elevated prompt (Run as administrator)", command);
    return EXIT_NOT_ADMIN;
}

int read_or_complain(struct lspinst *ctx, struct cm_views *views)
{
    struct cm_error err;

    if (!read_views(&ctx->api, views, &err))
        return 0;
    complain("cannot read the Winsock catalog: %s", err.text);
    return EXIT_FAILED;
}

int refuse_if_pending(void)
{
    struct cm_views before;
    struct cm_error err;
    char command[64];
    int found;

    cm_views_init(&before);
    found = txn_pending(command, sizeof(command), &before, &err);
    cm_views_free(&before);
    if (found < 0) {
        complain("%s", err.text);
        return EXIT_FAILED;
    }
    if (found) {
        complain("an earlier 'lspinst %s' was interrupted and left the catalog half-changed: "
                 "run 'lspinst repair' first", command);
        return EXIT_FAILED;
    }
    return 0;
}

int run_change(struct lspinst *ctx, const char *command, const struct cm_views *before,
               struct cm_views *desired, change_step_fn step, void *arg)
{
    struct cm_error err, undo;

    if (txn_begin(command, before, &err)) {
        complain("%s; nothing was changed", err.text);
        return EXIT_FAILED;
    }
    if ((!step || !step(ctx, desired, arg, &err)) && !apply_views(&ctx->api, desired, &err)) {
        if (!txn_commit(&undo))
            return EXIT_OK;
        complain("the change is done, but %s", undo.text);
        return EXIT_FAILED;
    }
    complain("%s", err.text);
    if (txn_rollback(&ctx->api, &undo)) {
        complain("going back failed as well: %s", undo.text);
        complain("the catalog may be damaged: run 'lspinst verify', then 'lspinst repair'");
        return EXIT_DAMAGED;
    }
    complain("the catalog is back as it was before '%s'", command);
    return EXIT_FAILED;
}
