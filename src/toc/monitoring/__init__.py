"""Monitoring a programme as it runs: measurements of its indicators (`measurements`), their
progress per period (`progress`), and the status report for the steering group (`report`)."""
