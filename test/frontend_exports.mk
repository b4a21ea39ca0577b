# SPDX-License-Identifier: MIT
# The front end's export table (ordinals, forwarding).
$(eval $(call test_program,frontend_exports,test/frontend_exports.c $(RUN_SUITE),-lws2_32))
