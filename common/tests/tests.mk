# SPDX-License-Identifier: MIT
# common/tests/: unit tests of common/, beside it (run by the lines of
# common/tests/tests.list).
CFLAGS_common/tests := -Ibuild/deps/check/x64/include -Itest/support
$(eval $(call test_program,common_protocol_info,common/tests/protocol_info.c $(COMMON_SRCS) $(RUN_SUITE),))
$(eval $(call test_program,common_text,common/tests/text.c common/text.c $(RUN_SUITE),))
$(eval $(call test_program,common_memcheck,common/tests/memcheck.c common/memcheck.c $(RUN_SUITE),))
$(eval $(call test_program,common_hash,common/tests/hash.c common/hash.c $(RUN_SUITE),))
