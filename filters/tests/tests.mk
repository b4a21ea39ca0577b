# SPDX-License-Identifier: MIT
# filters/tests/: unit tests of the filters' pure parts, beside them (run by
# the lines of filters/tests/tests.list): the firewall's rules and the
# SOCKS5 messages and handshake, with no socket and no registry.
CFLAGS_filters/tests := -Ibuild/deps/check/x64/include -Itest/support
$(eval $(call test_program,filters_firewall_rules,filters/tests/firewall_rules.c \
    filters/firewall/rules.c filters/shared/netaddr.c $(RUN_SUITE),-lws2_32))
$(eval $(call test_program,filters_socks5,filters/tests/socks5.c filters/socks5/socks5_proto.c \
    filters/socks5/handshake.c filters/shared/netaddr.c $(RUN_SUITE),-lws2_32))
