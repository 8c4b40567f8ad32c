# The corpus of terminal attacks, as text a customer controls: sourced by the tests that
# show customer text (tests/ui/attacks.test on the screen, tests/client/json-inert.test in
# --json output). Sets ATTACKS, an array of strings.
# Each attack is text a customer controls; JSON carries it to the sim (so raw bytes that are
# not UTF-8 cannot travel: the fuzz targets cover those). C1 controls go both as UTF-8
# characters and as HTML character references, which the HTML body turns into them.
ATTACKS=(
	$'clear\e[2J\e[H\e[3J\ec'
	$'cursor\e[10;10H\e[5A\e[20C\e7\e[s\e[1;1f\e8\e[u\eD\eM\eE'
	$'title0\e]0;PWNED-0\a'
	$'title2\e]2;PWNED-2\e\\ icon\e]1;PWNED-1\a'
	$'clip\e]52;c;cHduZWQ=\a\e]52;p;cHduZWQ=\e\\'
	$'link\e]8;;http://evil.example/\e\\click\e]8;;\e\\'
	$'dcs\eP+q544e\e\\\eP$q"p\e\\\eP1$r0m\e\\'
	$'apc\e_Gfoo\e\\ pm\e^pm\e\\ sos\eXsos\e\\'
	$'c1\xc2\x9b2J\xc2\x9d0;PWNED-C1\a\xc2\x90q\xc2\x9c\xc2\x85\xc2\x8d\xc2\x9f'
	$'c1ref &#x9b;2J &#155;31m &#x9d;2;PWNED-R&#7; &#x1b;[2J'
	$'modes\e[?25l\e[?1049l\e[?1000h\e[?1006h\e[?2004h\e[4h\e[?6h\e[?7l\e[5;10r\e[?1h\e='
	$'sgr\e[31m\e[5m\e[8mhidden\e[7m\e[0m\e[38;2;255;0;0m'
	$'bidi\u202eevil\u202c\u2066iso\u2069\u2067x\u2069\u2068y\u2069\u202b\u202a\u202d\u200f\u061c'
	$'zwj\U1F468\u200d\U1F469\u200d\U1F467\u200b\u200c\u200d\ufeff\u2060'
	"comb$(printf 'e%.0s' 1)$(for i in $(seq 1 300); do printf '\xcc\x81'; done)"
	$'ctl\b\b\b\rXY\x7f\x0b\x0c\x00\x1a\x1c end'
	"long$(head -c 6000 /dev/zero | tr '\0' W)"
	$'wide\u4e2d\u6587\u5b57\uff37\U1F600\U1F600'
)
