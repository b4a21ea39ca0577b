/* SPDX-License-Identifier: MIT */
/* Binding the WSC* functions to the loaded ws2_32 (see wsc.h). */
#include "wsc.h"

#include <string.h>

/* WSCEnumProtocols is imported the ordinary way: every Winsock 2 has it,
 * and the import makes the loader bring in the ws2_32 the system (or the
 * lspkit launcher) provides. Everything else is looked up in that module. */
BOOL wsc_bind(struct wsc_api *api, const char **missing)
{
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
    FARPROC f;

    memset(api, 0, sizeof(*api));
    api->enum_protocols[CM_VIEW_NATIVE] = WSCEnumProtocols;
    if (!ws2) {
        *missing = "ws2_32.dll";
        return FALSE;
    }
#define BIND(field, name) \
    (f = GetProcAddress(ws2, name), memcpy(&api->field, &f, sizeof(f)))
    BIND(get_path[CM_VIEW_NATIVE], "WSCGetProviderPath");
    BIND(update[CM_VIEW_NATIVE], "WSCUpdateProvider");
    BIND(deinstall[CM_VIEW_NATIVE], "WSCDeinstallProvider");
    BIND(write_order[CM_VIEW_NATIVE], "WSCWriteProviderOrder");
    BIND(get_info[CM_VIEW_NATIVE], "WSCGetProviderInfo");
    BIND(set_info[CM_VIEW_NATIVE], "WSCSetProviderInfo");
    BIND(install, "WSCInstallProvider");
    BIND(install_chains, "WSCInstallProviderAndChains");
#ifdef _WIN64
    /* The 32-bit catalog can only be reached from 64-bit code. */
    BIND(enum_protocols[CM_VIEW_32], "WSCEnumProtocols32");
    BIND(get_path[CM_VIEW_32], "WSCGetProviderPath32");
    BIND(update[CM_VIEW_32], "WSCUpdateProvider32");
    BIND(deinstall[CM_VIEW_32], "WSCDeinstallProvider32");
    BIND(write_order[CM_VIEW_32], "WSCWriteProviderOrder32");
    BIND(get_info[CM_VIEW_32], "WSCGetProviderInfo32");
    BIND(set_info[CM_VIEW_32], "WSCSetProviderInfo32");
    BIND(install64_32, "WSCInstallProvider64_32");
    BIND(install_chains64_32, "WSCInstallProviderAndChains64_32");
#endif
#undef BIND
    *missing = !api->get_path[CM_VIEW_NATIVE] ? "WSCGetProviderPath"
             : !api->update[CM_VIEW_NATIVE] ? "WSCUpdateProvider"
             : !api->deinstall[CM_VIEW_NATIVE] ? "WSCDeinstallProvider"
             : !api->write_order[CM_VIEW_NATIVE] ? "WSCWriteProviderOrder"
             : !api->install ? "WSCInstallProvider" : NULL;
    return !*missing;
}
