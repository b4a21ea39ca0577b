# SPDX-License-Identifier: MIT
# Unit tests of the catalog model (catalog/): pure data in, plans and
# problems out. The program imports nothing from ws2_32.
$(eval $(call test_program,catalog_model,test/catalog_model.c test/catalog_model_util.c $(CATALOG_SRCS) \
    $(RUN_SUITE),))
