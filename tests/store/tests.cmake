# The run database, the recorder that feeds it, checkpoints and exports.
burstprop_add_test(store_schema LABELS store)
burstprop_add_test(run_store LABELS store)
burstprop_add_test(store_processes LABELS store)
# burstprop-train killed at each named fault point (core/util/fault_point.h), checked and resumed.
burstprop_add_test(kill_anywhere LABELS store cli TIMEOUT 300)
burstprop_add_test(run_recorder LABELS store)
# Signal histograms of measured steps: the store's round trip and the recorder (schema 8).
burstprop_add_test(signal_store LABELS store)
burstprop_add_test(checkpoint LABELS store)
burstprop_add_test(store_benchmark LABELS store benchmark TIMEOUT 600)
burstprop_add_test(store_contention_benchmark LABELS store benchmark TIMEOUT 600)
