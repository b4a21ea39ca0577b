/* SPDX-License-Identifier: MIT */
/* installer_lock.exe: one lspinst command at a time (installer/lock.h),
 * against the front end (arrangement "frontend"). One case per run:
 *   concurrent1 .. concurrent4
 *               two commands started together, 5 rounds each (20 in all,
 *               in four runs so that each stays short under load): both
 *               succeed, one changes the catalog, the other finds it done
 *               (it waited, or started after); verify is clean after each
 *   busy        a command that cannot get the lock within LSPINST_WAIT
 *               exits 5 having changed nothing; one that can, waits and
 *               then runs */
#include <winsock2.h>
#include <ws2spi.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define ROUNDS 5        /* per case */
#define INSTALL "install --dll32 %SystemRoot%\\SysWOW64\\lspkit.dll"
#define EXIT_BUSY 5
#define INSTALLER_MUTEX L"Global\\lspkit-installer"

static char out_a[1 << 16], out_b[1 << 16];

static void assert_verify_clean(void)
{
    int rc = lspinst("verify", out_a, sizeof(out_a));

    ck_assert_msg(rc == 0, "verify exited %d:\n%s", rc, out_a);
}

/* Round `round` of `command` twice at once: `done` is what the one that
 * changes the catalog says, `nothing` what the other says. Returns
 * whether one of them waited for the other. */
static BOOL round_of(int round, const char *command, const char *done, const char *nothing)
{
    struct run a, b;
    int rc_a, rc_b;
    BOOL a_did;

    lspinst_start(&a, command);
    lspinst_start(&b, command);
    rc_a = run_finish(&a, out_a, sizeof(out_a));
    rc_b = run_finish(&b, out_b, sizeof(out_b));
    ck_assert_msg(rc_a == 0 && rc_b == 0, "round %d, %s: exit codes %d and %d:\n%s\n---\n%s",
                  round, command, rc_a, rc_b, out_a, out_b);
    a_did = strstr(out_a, done) != NULL;
    ck_assert_msg(a_did != (strstr(out_b, done) != NULL) &&
                  strstr(a_did ? out_b : out_a, nothing),
                  "round %d, %s: not one change and one no-op:\n%s\n---\n%s", round, command,
                  out_a, out_b);
    assert_verify_clean();
    return strstr(out_a, "waiting") || strstr(out_b, "waiting");
}

/* Install and remove in turn, each twice at once. */
static void rounds(const char *name)
{
    int round, waits = 0;

    for (round = 0; round < ROUNDS; round++) {
        if (round % 2 == 0)
            waits += round_of(round, INSTALL, "lspkit installed", "nothing to do");
        else
            waits += round_of(round, "remove", "lspkit removed", "not installed");
    }
    /* Whether the two overlapped is the scheduler's choice: told, not asserted. */
    printf("%s: %d of %d rounds had a command wait for the other\n", name, waits, ROUNDS);
}

START_TEST(concurrent1) { rounds("concurrent1"); }
END_TEST
START_TEST(concurrent2) { rounds("concurrent2"); }
END_TEST
START_TEST(concurrent3) { rounds("concurrent3"); }
END_TEST
START_TEST(concurrent4) { rounds("concurrent4"); }
END_TEST

START_TEST(busy)
{
    HANDLE mutex = CreateMutexW(NULL, TRUE, INSTALLER_MUTEX);
    struct dump before, after;
    struct run waiting;
    int rc;

    ck_assert_ptr_nonnull(mutex);
    ck_assert_uint_eq(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);   /* ours, twice */
    dump_catalog_keys(&before, TRUE);
    SetEnvironmentVariableA("LSPINST_WAIT", "1");
    rc = lspinst(INSTALL, out_a, sizeof(out_a));
    ck_assert_msg(rc == EXIT_BUSY && strstr(out_a, "still running"), "busy install: %d\n%s", rc,
                  out_a);
    dump_catalog_keys(&after, TRUE);
    ck_assert_msg(same_dump(&before, &after), "a command refused for the lock changed the catalog");

    /* Released while the second command waits: it runs. */
    SetEnvironmentVariableA("LSPINST_WAIT", "100");
    lspinst_start(&waiting, INSTALL);
    Sleep(2000);
    ReleaseMutex(mutex);
    ReleaseMutex(mutex);
    rc = run_finish(&waiting, out_a, sizeof(out_a));
    SetEnvironmentVariableA("LSPINST_WAIT", NULL);
    ck_assert_msg(rc == 0 && strstr(out_a, "lspkit installed"), "waiting install: %d\n%s", rc,
                  out_a);
    assert_verify_clean();
    CloseHandle(mutex);
    free_dump(&before);
    free_dump(&after);
}
END_TEST

int main(int argc, char **argv)
{
    const TTest *tests[] = { concurrent1, concurrent2, concurrent3, concurrent4, busy };

    return run_cases("installer_lock", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
