# A real IMAP server for the tests: Dovecot, from Debian's packages; sourced by .ci/run.
#
# install_dovecot  installs Debian's dovecot-imapd when no dovecot program is here (as
#                  root, non-interactively); fails quietly where that is impossible.
#
# The server itself is started by the tests: the session fixture `dovecot` in
# tests/conftest.py (tests/imap_test_server.py) writes its own configuration into a
# temporary folder and runs Dovecot on free ports of 127.0.0.1 (plain IMAP and imaps with
# a self-signed certificate), any user name with one test password, a Maildir per user;
# it stops the server when the session ends. Nothing of the system's Dovecot is used:
# /etc/dovecot, ports 143 and 993 and the dovecot service stay as they are. Where Dovecot
# is missing, those tests are skipped and say why.

dovecot_program() {
    # Debian keeps it in /usr/sbin, off an ordinary user's PATH.
    if [ -n "${WINDYKACJA_TEST_DOVECOT:-}" ]; then
        [ -x "$WINDYKACJA_TEST_DOVECOT" ] && echo "$WINDYKACJA_TEST_DOVECOT"
        return
    fi
    command -v dovecot 2>/dev/null && return 0
    [ -x /usr/sbin/dovecot ] && echo /usr/sbin/dovecot
}

install_dovecot() {
    [ -n "$(dovecot_program)" ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "Dovecot is not installed and cannot be installed here (needs root and apt-get)."
        return 1
    fi
    echo "Installing Dovecot (dovecot-imapd) from the distribution's packages ..."
    export DEBIAN_FRONTEND=noninteractive
    # The package lists are usually fresh (PostgreSQL's install updated them): try
    # without an update first.
    apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null 2>&1 </dev/null ||
        { apt-get update -qq >/dev/null &&
            apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null </dev/null; } || {
        echo "Installing Dovecot failed."
        return 1
    }
    [ -n "$(dovecot_program)" ]
}
