/* SPDX-License-Identifier: MIT */
/* wsc_api.exe: the WSC* catalog API of lspkit's ws2_32 and WSAEnumProtocols,
 * one suite per concern (test/wsc_*.c). */
#include "catalog_test.h"

Suite *wsc_install_suite(void);
Suite *wsc_enum_suite(void);
Suite *wsc_order_suite(void);
Suite *wsc_update_suite(void);
Suite *wsc_remove_suite(void);
Suite *wsc_path_suite(void);
Suite *wsc_chains_suite(void);
Suite *wsc_info_suite(void);

int ct_child_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return -1;
}

Suite **ct_suites(void)
{
    static Suite *suites[9];

    suites[0] = wsc_install_suite();
    suites[1] = wsc_enum_suite();
    suites[2] = wsc_order_suite();
    suites[3] = wsc_update_suite();
    suites[4] = wsc_remove_suite();
    suites[5] = wsc_path_suite();
    suites[6] = wsc_chains_suite();
    suites[7] = wsc_info_suite();
    return suites;
}
