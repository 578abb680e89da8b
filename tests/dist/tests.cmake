# Data-parallel training over c10d's Gloo on 127.0.0.1: each test spawns itself as the group's processes.
burstprop_add_test(data_parallel LABELS dist TIMEOUT 900 LIBS burstprop_dist)
