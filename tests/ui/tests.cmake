# The explorer's widgets, driven offscreen.
burstprop_add_test(main_window LIBS burstprop_ui LABELS gui)
burstprop_add_test(preset_library LIBS burstprop_ui LABELS gui)
burstprop_add_test(preset_bar LIBS burstprop_ui LABELS gui)
burstprop_add_test(run_queue LIBS burstprop_ui LABELS gui)
burstprop_add_test(train_page LIBS burstprop_ui LABELS gui)
# The Processes field: runs trained by burstprop-train --nproc N as a child process, stopped with SIGTERM.
burstprop_add_test(train_processes LIBS burstprop_ui LABELS gui TIMEOUT 600)
# Sweeps from the form: spec fields, run count and estimate, burstprop-train sweep launched, stopped, resumed.
burstprop_add_test(sweep_form LIBS burstprop_ui LABELS gui TIMEOUT 300)
# The sweep panel's Pause/Continue sweep and Stop/Pause/Continue run buttons on a real sweep.
burstprop_add_test(sweep_panel LIBS burstprop_ui LABELS gui TIMEOUT 300)
# ImageNet and image folders in the explorer: preset, folder summary, top-5 panel, first-layer filters.
burstprop_add_test(explorer_imagenet LIBS burstprop_ui LABELS gui)
# Plots: smoothing, reduction, the metric plot and its toolbar, heatmap, weight scatter, export.
burstprop_add_test(smoothing LIBS burstprop_ui LABELS gui)
burstprop_add_test(reduction LIBS burstprop_ui LABELS gui)
burstprop_add_test(metric_plot LIBS burstprop_ui LABELS gui)
burstprop_add_test(plot_toolbar LIBS burstprop_ui LABELS gui)
burstprop_add_test(angle_heatmap LIBS burstprop_ui LABELS gui)
# The Signals tab: histograms of a layer's event rates, burst probabilities and deltas, live and stored.
burstprop_add_test(signal_view LIBS burstprop_ui LABELS gui)
burstprop_add_test(weight_scatter LIBS burstprop_ui LABELS gui)
burstprop_add_test(plot_export LIBS burstprop_ui LABELS gui)
burstprop_add_test(plot_benchmark LIBS burstprop_ui LABELS benchmark TIMEOUT 600)
# The runs page: the table model over a real database, and the view's actions.
burstprop_add_test(runs_table_model LIBS burstprop_ui LABELS gui)
burstprop_add_test(runs_view LIBS burstprop_ui LABELS gui)
# Evaluate…: a tiny run's checkpoints evaluated from the Runs page (figures, confusion heatmap, exports).
burstprop_add_test(evaluate_dialog LIBS burstprop_ui LABELS gui)
burstprop_add_test(runs_benchmark LIBS burstprop_ui LABELS benchmark)
burstprop_add_test(explorer_benchmark LIBS burstprop_ui LABELS benchmark TIMEOUT 900)
# Comparing runs: hyperparameters side by side with exports, figures, overlaid curves, parallel coordinates.
burstprop_add_test(hyperparameter_table LIBS burstprop_ui LABELS gui)
burstprop_add_test(compare_view LIBS burstprop_ui LABELS gui)
burstprop_add_test(compare_benchmark LIBS burstprop_ui LABELS benchmark TIMEOUT 600)
burstprop_add_test(compare_zoom LIBS burstprop_ui LABELS gui)
burstprop_add_test(parallel_coordinates LIBS burstprop_ui LABELS gui)
# Seed groups: the Runs page's group tree and sweep filter, the Compare page by group (bands, verdict, export).
burstprop_add_test(run_groups_view LIBS burstprop_ui LABELS gui)
burstprop_add_test(group_compare LIBS burstprop_ui LABELS gui)
# A big study: the Runs page, Group seeds and Compare by group on a sweep of 1,000 runs (issue 14, "Scale").
burstprop_add_test(study_scale_benchmark LIBS burstprop_ui LABELS gui benchmark TIMEOUT 1800)
