# Studies (core/study): group statistics, sweep specifications and their expansion, run groups.
burstprop_add_test(statistics LIBS burstprop_study)
burstprop_add_test(sweep_spec LIBS burstprop_study)
burstprop_add_test(run_groups LIBS burstprop_study)
# Group curves (mean and band), group tables as CSV, Markdown and LaTeX, and group descriptions.
burstprop_add_test(group_curve LIBS burstprop_study)
burstprop_add_test(group_table LIBS burstprop_study)
