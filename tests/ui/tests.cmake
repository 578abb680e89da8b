# The explorer's widgets, driven offscreen.
burstprop_add_test(main_window LIBS burstprop_ui LABELS gui)
