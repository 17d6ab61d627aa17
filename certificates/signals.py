from django.dispatch import Signal

# Sent on commit after a certificate is issued, with ``certificate`` and ``by``; later stages
# (post-course support) react to it.
certificate_issued = Signal()
