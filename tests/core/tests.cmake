burstprop_add_test(golden LABELS golden)
