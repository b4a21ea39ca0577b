# SPDX-License-Identifier: MIT
# catalog/tests/: unit tests of the catalog model (catalog/), beside it:
# pure data in, plans and problems out. The program imports nothing from
# ws2_32. model_util.c builds catalogs for them, and for the installer's
# executor tests (installer/tests/tests.mk).
CFLAGS_catalog/tests := -Ibuild/deps/check/x64/include -Itest/support
$(eval $(call test_program,catalog_model,catalog/tests/model.c catalog/tests/model_util.c \
    $(CATALOG_SRCS) $(RUN_SUITE),))
