# packages.sh: the Debian packages frontline needs, the one list that .ci/install-deps
# (README's commands) and .ci/run (CI) read. Sourced, not run.

# Building: the compiler and make, autoreconf's tools (autoconf, automake; pkg-config's
# PKG_CHECK_MODULES), the libraries configure looks for; TLS roots for a real backend;
# and jq for the demo's `frontline --demo list --json | jq length`.
BUILD_PACKAGES=(
	build-essential autoconf automake pkg-config
	libncurses-dev libcurl4-openssl-dev libjansson-dev libsqlite3-dev libglib2.0-dev
	libnotify-dev libmicrohttpd-dev libinih-dev libxml2-dev zlib1g-dev
	ca-certificates jq
)
# Testing: unit tests (cmocka), the screen's benchmark (libvterm), the tools the tests
# run (tests/lib.sh's `need` names each one's package), valgrind, the fuzzers' compiler,
# and node for Prism, which checks the wire format against the API description.
TEST_PACKAGES=(
	libcmocka-dev libvterm-dev
	curl tmux dbus dbus-x11 libnotify-bin python3 python3-dbus python3-gi sqlite3 procps
	util-linux valgrind clang libclang-rt-14-dev
)
