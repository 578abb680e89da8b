# Numbers for machines under a comma-decimal locale (the core, and the explorer's launch and resume).
burstprop_add_test(locale LABELS locale)
burstprop_add_test(explorer_locale LIBS burstprop_ui LABELS locale gui ENV LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8)
