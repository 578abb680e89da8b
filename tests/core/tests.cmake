burstprop_add_test(golden LABELS golden)
burstprop_add_test(learning LABELS learning TIMEOUT 900)
burstprop_add_test(trainer)
burstprop_add_test(rules)
