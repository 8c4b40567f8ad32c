/* corpus.c: the words the simulated world is made of (people, messages, tags, help articles). */
#include "corpus.h"

#include "prng.h"
#include "util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define COUNT(a)       (sizeof(a) / sizeof((a)[0]))
#define PICK(r, table) ((table)[prng_below((r), COUNT(table))])

/* A growing string; text is assembled piece by piece, then handed to the caller. */
struct buf {
	char *data;
	size_t len, cap;
};

static void buf_reserve(struct buf *b, size_t n)
{
	xgrow(&b->data, &b->cap, b->len + n + 1, 1);
}

static void buf_add_n(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void buf_add(struct buf *b, const char *s)
{
	buf_add_n(b, s, strlen(s));
}

static void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap, again;
	int n;

	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("corpus: cannot format \"%s\"", fmt);
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

/* Titles start with a subject's verb or noun, which are lowercase ASCII in the tables. */
static void buf_add_capitalized(struct buf *b, const char *s)
{
	char c = s[0];

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	buf_add_n(b, &c, 1);
	buf_add(b, s + 1);
}

/* Only ASCII letters, lowercased: email local parts built from names must stay plain. */
static void buf_add_lower_letters(struct buf *b, const char *s)
{
	for (; *s; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z')
			buf_add_n(b, &c, 1);
	}
}

static char *buf_finish(struct buf *b)
{
	return b->data ? b->data : xstrdup("");
}

/* ---- people ---- */

static const char *const english_first[] = {
	"Emma", "Olivia", "Liam", "Noah", "Sophia", "James", "Ava", "Oliver", "Mia", "Lucas",
	"Chloe", "Ethan", "Amelia", "Mason", "Harper", "Logan", "Ella", "Jack", "Grace", "Henry",
	"Charlie", "Daniel", "Zoe", "Samuel", "Lily", "David", "Hannah", "Michael", "Nora", "Ryan",
	"Sarah", "Jacob", "Emily", "Matthew", "Isabel", "Owen", "Ruby", "Leo", "Maya", "Aiden",
};
static const char *const english_last[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
	"Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
	"Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green",
	"Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
	"Evans", "Turner", "O'Brien", "Murphy",
};
/* Kept apart because email addresses can't be made from them. */
static const char *const western_last_accented[] = {
	"García", "Müller", "Lefèvre", "Fernández", "Çelik", "Nguyễn",
};

/* Slavic surnames agree with the bearer's gender, so they come in male/female pairs. */
struct surname {
	const char *male, *female;
};

static const char *const polish_male[] = {
	"Łukasz", "Paweł", "Michał", "Wojciech", "Grzegorz", "Jędrzej", "Mikołaj", "Bartłomiej",
	"Tomasz", "Józef", "Krzysztof", "Maciej",
};
static const char *const polish_female[] = {
	"Małgorzata", "Agnieszka", "Katarzyna", "Bożena", "Żaneta", "Jadwiga", "Zofia", "Halina",
	"Anna", "Ewa", "Magdalena", "Joanna",
};
static const struct surname polish_last[] = {
	{"Kowalski", "Kowalska"}, {"Wiśniewski", "Wiśniewska"}, {"Wójcik", "Wójcik"},
	{"Kamiński", "Kamińska"}, {"Lewandowski", "Lewandowska"}, {"Zieliński", "Zielińska"},
	{"Szymański", "Szymańska"}, {"Woźniak", "Woźniak"}, {"Dąbrowski", "Dąbrowska"},
	{"Kozłowski", "Kozłowska"}, {"Mazur", "Mazur"}, {"Krawczyk", "Krawczyk"},
	{"Pawłowski", "Pawłowska"}, {"Król", "Król"}, {"Wróbel", "Wróbel"}, {"Nowak", "Nowak"},
	{"Jabłoński", "Jabłońska"}, {"Ćwikliński", "Ćwiklińska"}, {"Sęk", "Sęk"}, {"Żak", "Żak"},
};
static const char *const russian_male[] = {
	"Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Иван", "Михаил", "Николай",
	"Артём", "Юрий",
};
static const char *const russian_female[] = {
	"Анастасия", "Мария", "Екатерина", "Ольга", "Татьяна", "Наталья", "Юлия", "Ксения",
	"Алёна", "Дарья",
};
static const struct surname russian_last[] = {
	{"Иванов", "Иванова"}, {"Смирнов", "Смирнова"}, {"Кузнецов", "Кузнецова"},
	{"Попов", "Попова"}, {"Соколов", "Соколова"}, {"Лебедев", "Лебедева"},
	{"Козлов", "Козлова"}, {"Новиков", "Новикова"}, {"Морозов", "Морозова"},
	{"Волков", "Волкова"}, {"Фёдоров", "Фёдорова"}, {"Соловьёв", "Соловьёва"},
};
static const char *const chinese_family[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
};
static const char *const chinese_given[] = {
	"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
	"洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "晓明", "思远",
};
static const char *const japanese_family[] = {
	"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
};
static const char *const japanese_given[] = {
	"陽翔", "蓮", "結衣", "さくら", "美咲", "大翔", "葵", "健太", "花子", "翔太",
};
static const char *const korean_family[] = {"김", "이", "박", "최", "정", "강", "조", "윤"};
static const char *const korean_given[] = {
	"민준", "서연", "지우", "하은", "도윤", "서준", "지민", "수빈", "예린", "현우",
};
static const char *const arabic_first[] = {
	"محمد", "أحمد", "فاطمة", "علي", "ليلى", "يوسف", "نور", "خالد", "مريم", "عمر", "سارة", "حسن",
};
static const char *const arabic_last[] = {
	"العلي", "حداد", "الحسن", "منصور", "خوري", "ناصر", "سليمان", "عبد الله", "الشامي", "القاسم",
};
static const char *const hebrew_first[] = {
	"נועה", "דוד", "יוסף", "מיכל", "אביגיל", "איתי", "שירה", "אורי", "תמר", "יונתן", "רחל",
};
static const char *const hebrew_last[] = {
	"כהן", "לוי", "מזרחי", "פרץ", "ביטון", "דהן", "אברהם", "פרידמן", "שפירא", "אזולאי",
};
/* Includes a ZWJ sequence on purpose: width handling in the client must survive it. */
static const char *const name_emoji[] = {
	"🌸", "🚀", "☕", "🎧", "🐙", "🌍", "✨", "🦊", "🎨", "🌵", "👩‍💻",
};

_Static_assert(COUNT(polish_male) == COUNT(polish_female), "one count serves both lists");
_Static_assert(COUNT(russian_male) == COUNT(russian_female), "one count serves both lists");

static void name_add_slavic(struct buf *b, struct prng *r, const char *const *male,
			    const char *const *female, size_t n_first,
			    const struct surname *last, size_t n_last)
{
	const struct surname *s = &last[prng_below(r, n_last)];

	if (prng_below(r, 2))
		buf_addf(b, "%s %s", male[prng_below(r, n_first)], s->male);
	else
		buf_addf(b, "%s %s", female[prng_below(r, n_first)], s->female);
}

/* Real inboxes hold half-filled profiles too: first names only, initials. */
static void name_add_english(struct buf *b, struct prng *r)
{
	const char *first = PICK(r, english_first);
	const char *last = PICK(r, english_last);
	uint64_t shape = prng_below(r, 20);
	int initial = 1;

	if (prng_below(r, 10) == 0)
		last = PICK(r, western_last_accented);
	while ((last[initial] & 0xc0) == 0x80) /* a whole UTF-8 character, as in "Ç." */
		initial++;
	if (shape == 0)
		buf_add(b, first);
	else if (shape == 1)
		buf_addf(b, "%s %.*s.", first, initial, last);
	else
		buf_addf(b, "%s %s", first, last);
}

char *corpus_customer_name(struct prng *r)
{
	struct buf b = {0};
	uint64_t kind = prng_below(r, 100);

	if (kind < 66)
		name_add_english(&b, r);
	else if (kind < 74)
		name_add_slavic(&b, r, polish_male, polish_female, COUNT(polish_male), polish_last,
				COUNT(polish_last));
	else if (kind < 81)
		name_add_slavic(&b, r, russian_male, russian_female, COUNT(russian_male),
				russian_last, COUNT(russian_last));
	else if (kind < 84)
		buf_addf(&b, "%s%s", PICK(r, chinese_family), PICK(r, chinese_given));
	else if (kind < 87)
		buf_addf(&b, "%s %s", PICK(r, japanese_family), PICK(r, japanese_given));
	else if (kind < 90)
		buf_addf(&b, "%s%s", PICK(r, korean_family), PICK(r, korean_given));
	else if (kind < 95)
		buf_addf(&b, "%s %s", PICK(r, arabic_first), PICK(r, arabic_last));
	else
		buf_addf(&b, "%s %s", PICK(r, hebrew_first), PICK(r, hebrew_last));
	if (prng_below(r, 16) == 0)
		buf_addf(&b, " %s", PICK(r, name_emoji));
	return buf_finish(&b);
}

/* Romanised names for customers whose display names use other scripts. */
static const char *const email_first[] = {
	"anna", "lukasz", "pawel", "malgorzata", "agnieszka", "dmitry", "olga", "sergey", "natalia",
	"wei", "fang", "yuki", "haruto", "minjun", "seoyeon", "fatima", "omar", "yosef", "noa",
};
static const char *const email_last[] = {
	"kowalska", "nowak", "wisniewski", "mazur", "ivanov", "smirnova", "popov", "wang", "li",
	"zhang", "sato", "suzuki", "kim", "park", "haddad", "mansour", "cohen", "levi", "mizrahi",
};
/* f: first name, l: last name, i: initial; anything else is copied. */
static const char *const email_shapes[] = {"f.l", "f", "i.l", "f_l", "l.f", "fl"};
static const char *const email_domains[] = {
	"example.com", "example.com", "example.com", "example.org", "example.net",
};

char *corpus_customer_email(struct prng *r, unsigned long serial)
{
	struct buf b = {0};
	size_t k = prng_below(r, COUNT(english_first) + COUNT(email_first));
	const char *first = k < COUNT(english_first) ? english_first[k]
						      : email_first[k - COUNT(english_first)];
	const char *last, *shape;

	k = prng_below(r, COUNT(english_last) + COUNT(email_last));
	last = k < COUNT(english_last) ? english_last[k] : email_last[k - COUNT(english_last)];
	for (shape = PICK(r, email_shapes); *shape; shape++) {
		if (*shape == 'f')
			buf_add_lower_letters(&b, first);
		else if (*shape == 'l')
			buf_add_lower_letters(&b, last);
		else if (*shape == 'i')
			buf_add_lower_letters(&b, (const char[]){first[0], '\0'});
		else
			buf_add_n(&b, shape, 1);
	}
	/* The serial is the only run of digits, which is what keeps addresses unique. */
	buf_addf(&b, "%lu@%s", serial, PICK(r, email_domains));
	return buf_finish(&b);
}

/* ---- the team ---- */

static const char *const tag_names[] = {
	"billing", "bug", "feature-request", "vip", "refund", "sso", "churn-risk", "onboarding",
	"api", "integrations", "mobile", "security", "data-import", "export", "performance",
	"account-deletion", "urgent", "feedback",
};

const char *const *corpus_tag_names(size_t *count)
{
	*count = COUNT(tag_names);
	return tag_names;
}

static const struct corpus_admin admins[] = {
	{"Maya Patel", "maya.patel@example.com", "Support Lead", false},
	{"Tom Becker", "tom.becker@example.com", "Support Engineer", false},
	{"Zoë Martin", "zoe.martin@example.com", "Customer Success Manager", false},
	{"Kenji Watanabe", "kenji.watanabe@example.com", "Support Engineer", true},
	{"Agnieszka Nowak", "agnieszka.nowak@example.com", "Billing Specialist", false},
	{"Samir Haddad", "samir.haddad@example.com", "Technical Support Specialist", true},
	{"Lucy O'Neill", "lucy.oneill@example.com", "Head of Support", false},
};

const struct corpus_admin *corpus_admins(size_t *count)
{
	*count = COUNT(admins);
	return admins;
}

const struct corpus_admin *corpus_bot(void)
{
	static const struct corpus_admin bot = {"Operator", "operator+frontlinesim@intercom.io", "",
						false};

	return &bot;
}

/* ---- templates ---- */

struct article_subject {
	unsigned category;
	const char *verb, *noun, *where, *symptom;
};

/*
 * Text is written as templates with {words}. A message draws its words once, so its title
 * and body name the same integration, error code or invoice; {Verb} capitalizes {verb}.
 */
struct words {
	const struct article_subject *subject; /* articles only */
	const char *integration, *day, *browser, *computer, *phone, *plan, *errmsg;
	char admin[32], num[12], big[12], err[12], invoice[24], request_id[24];
};

static const char *const integrations[] = {
	"Slack", "Salesforce", "Zapier", "HubSpot", "Jira", "Shopify", "Stripe",
};
static const char *const days[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "yesterday",
	"this morning", "last week",
};
static const char *const browsers[] = {"Chrome", "Firefox", "Safari", "Edge", "Brave"};
static const char *const computers[] = {
	"a MacBook Pro", "Windows 11", "Ubuntu 22.04", "a Chromebook", "Windows 10",
};
static const char *const phones[] = {
	"iPhone 13", "iPhone 15 Pro", "Pixel 7", "Samsung Galaxy S22", "iPad Air", "OnePlus 11",
};
static const char *const plans[] = {"Pro", "Business", "Enterprise"};
static const unsigned http_errors[] = {400, 401, 403, 404, 409, 422, 429, 500, 502, 503};
static const char *const error_messages[] = {
	"Error 500: Internal Server Error",
	"\"invalid_grant\": the provided authorization grant is invalid or expired",
	"SAML response signature is invalid", "Request failed with status code 429",
	"The file could not be parsed (line 42: unexpected quote)",
	"Something went wrong. Please try again later.",
	"ECONNRESET while contacting api.example.com",
	"Your session has expired. Please log in again.", "Payment failed: card_declined",
};

static void words_draw(struct words *w, struct prng *r)
{
	const char *admin = PICK(r, admins).name;

	memset(w, 0, sizeof(*w));
	w->integration = PICK(r, integrations);
	w->day = PICK(r, days);
	w->browser = PICK(r, browsers);
	w->computer = PICK(r, computers);
	w->phone = PICK(r, phones);
	w->plan = PICK(r, plans);
	w->errmsg = PICK(r, error_messages);
	/* Colleagues address each other by first name. */
	snprintf(w->admin, sizeof(w->admin), "%.*s", (int)strcspn(admin, " "), admin);
	snprintf(w->num, sizeof(w->num), "%u", 2 + (unsigned)prng_below(r, 8));
	snprintf(w->big, sizeof(w->big), "%u", 100 + (unsigned)prng_below(r, 9900));
	snprintf(w->err, sizeof(w->err), "%u", PICK(r, http_errors));
	snprintf(w->invoice, sizeof(w->invoice), "INV-2024-%04u", 1 + (unsigned)prng_below(r, 999));
	snprintf(w->request_id, sizeof(w->request_id), "req_%012" PRIx64,
		 (uint64_t)(prng_next(r) & 0xffffffffffffULL));
}

static void buf_add_word(struct buf *b, const struct words *w, const char *name, size_t len)
{
	const struct article_subject *s = w->subject;
	const struct {
		const char *name, *value;
	} table[] = {
		{"int", w->integration}, {"day", w->day}, {"browser", w->browser},
		{"computer", w->computer}, {"phone", w->phone}, {"plan", w->plan},
		{"errmsg", w->errmsg}, {"admin", w->admin}, {"num", w->num}, {"big", w->big},
		{"err", w->err}, {"invoice", w->invoice}, {"reqid", w->request_id},
		{"verb", s ? s->verb : NULL}, {"noun", s ? s->noun : NULL},
		{"where", s ? s->where : NULL}, {"symptom", s ? s->symptom : NULL},
	};

	for (size_t k = 0; k < COUNT(table); k++) {
		if (strncasecmp(name, table[k].name, len) || table[k].name[len] || !table[k].value)
			continue;
		if (name[0] >= 'A' && name[0] <= 'Z')
			buf_add_capitalized(b, table[k].value);
		else
			buf_add(b, table[k].value);
		return;
	}
	die("corpus: unknown template word {%.*s}", (int)len, name);
}

static void buf_add_template(struct buf *b, const struct words *w, const char *t)
{
	const char *open, *close;

	while ((open = strchr(t, '{'))) {
		close = strchr(open, '}');
		if (!close)
			die("corpus: unterminated template word in \"%s\"", t);
		buf_add_n(b, t, (size_t)(open - t));
		buf_add_word(b, w, open + 1, (size_t)(close - open - 1));
		t = close + 1;
	}
	buf_add(b, t);
}

static char *template_expand(const struct words *w, const char *t)
{
	struct buf b = {0};

	buf_add_template(&b, w, t);
	return buf_finish(&b);
}

/* Appends a sentence after `sep`; empty table entries stand for "say nothing". */
static void buf_add_sentence(struct buf *b, const struct words *w, const char *t, const char *sep)
{
	if (!*t)
		return;
	if (b->len)
		buf_add(b, sep);
	buf_add_template(b, w, t);
}

/* After a greeting that ends in a comma, a letter goes on in a new paragraph. */
static const char *sep_after(const struct buf *b, const char *sep)
{
	return b->len && b->data[b->len - 1] == ',' ? "\n\n" : sep;
}

/* ---- customers writing in ---- */

struct opening_case {
	const char *title, *problem;
};

struct opening_topic {
	struct opening_case cases[4];
	const char *details[3];
};

static const struct opening_topic opening_topics[] = {
	{{{"Can't log in", "I can't log in to my account since {day}."},
	  {"Password reset email never arrives",
	   "I requested a password reset three times but the reset email never arrives."},
	  {"Login page keeps reloading", "When I enter my password the login page just reloads."},
	  {"Account locked", "My account says it is locked after too many login attempts."}},
	 {"I've checked my spam folder, nothing there.", "I'm using {browser} on {computer}.",
	  "The error says \"Invalid credentials\" but I'm sure the password is right."}},
	{{{"Question about invoice {invoice}",
	   "Invoice {invoice} shows a higher amount than our {plan} plan should cost."},
	  {"Charged twice this month", "We were charged twice for the same billing period."},
	  {"Need an invoice with our VAT number",
	   "I need an invoice with our company VAT number for our accountant."},
	  {"Card declined", "Our card was declined but we updated the billing details {day}."}},
	 {"Our finance team needs this before the end of the month.",
	  "We only have {num} seats but the invoice lists more.",
	  "Can you send invoices to our billing email instead of mine?"}},
	{{{"Refund request", "I'd like a refund for the annual renewal that went through {day}."},
	  {"Charged after cancelling", "We cancelled last week but got charged for another month."},
	  {"Accidental upgrade", "Someone on my team upgraded by mistake and we need a refund."},
	  {"Refund for removed seats", "We removed {num} seats but never got a refund."}},
	 {"We haven't used the account since the renewal.", "The charge is on invoice {invoice}.",
	  "How long does a refund usually take to appear?"}},
	{{{"{int} integration stopped working", "Our {int} integration stopped syncing {day}."},
	  {"Can't connect {int}", "When I click Connect for {int} I get an authorization error."},
	  {"Conversations missing in {int}", "New conversations no longer show up in {int}."},
	  {"Duplicate records from {int}", "The {int} integration is creating duplicate records."}},
	 {"We reconnected it twice already.", "Nothing has changed on our side in {int}.",
	  "This is breaking our sales workflow."}},
	{{{"API returns {err}", "Our calls to /conversations started returning {err} {day}."},
	  {"Getting {err} errors from the API", "Since {day} every API call fails with {err}."},
	  {"API errors after token change", "The API returns {err} for calls that worked before."},
	  {"Webhooks not arriving", "Our webhook endpoint stopped receiving events {day}."}},
	 {"Request ID: {reqid}.", "We're sending the same access token as before.",
	  "Our integration makes about {big} API requests per hour."}},
	{{{"Export never finishes", "The CSV export I started {day} is still running."},
	  {"Export file is empty", "When I export our conversations the CSV file is empty."},
	  {"How do I export all conversations?", "I need to export all our conversation history."},
	  {"Export missing columns", "The exported CSV has no tags or custom attributes."}},
	 {"We have about {big} conversations.", "I tried in {browser} and got the same result.",
	  "We need the export for a compliance review."}},
	{{{"App crashes on launch", "The mobile app crashes as soon as I open it on my {phone}."},
	  {"App crashes when opening a conversation",
	   "The app crashes every time I tap on a conversation with an image."},
	  {"App stuck on loading screen", "Since the update the app hangs on the loading screen."},
	  {"Crash after tapping a notification", "Notifications open the app, then it crashes."}},
	 {"I've already reinstalled the app.", "I'm on version 4.{num}.1.", "The web app works."}},
	{{{"Delete my account", "Please delete my account and all personal data you hold."},
	  {"Close our workspace", "We are moving to another tool and want to close our workspace."},
	  {"GDPR deletion request", "Under GDPR I request the deletion of all my data."},
	  {"How do I delete my account?", "I can't find how to delete my account in settings."}},
	 {"Please confirm by email once it's done.", "We already exported what we need.",
	  "Make sure no further charges are made."}},
	{{{"Upgrade to {plan}", "We'd like to upgrade from Starter to the {plan} plan."},
	  {"Price for more seats", "How much would it cost to add {num} more seats?"},
	  {"Which plan includes SSO?", "Does the {plan} plan include SSO and audit logs?"},
	  {"Upgrading mid-month", "If we upgrade our plan mid-month, is the price prorated?"}},
	 {"We have {num} teammates at the moment.", "We'd prefer annual billing.",
	  "Our current plan renews next week."}},
	{{{"SSO login fails", "Nobody can sign in with SSO since {day}; Okta shows a SAML error."},
	  {"Set up SAML SSO with Azure AD", "We want to set up SAML single sign-on with Azure AD."},
	  {"SSO redirect loop", "After signing in with Google SSO we end up in a redirect loop."},
	  {"Enforce SSO for everyone", "How do we stop teammates logging in with a password?"}},
	 {"About {num}0 teammates would use it.", "Our IT team manages the identity provider.",
	  "Our security team needs this before the next audit."}},
	{{{"No email notifications", "I stopped getting email notifications for new chats."},
	  {"Too many notifications",
	   "I get a notification for every message, even in conversations that aren't mine."},
	  {"Desktop notifications not working",
	   "Desktop notifications don't show up in {browser} even though they're enabled."},
	  {"Push notifications delayed", "Push notifications on my {phone} come {num} min late."}},
	 {"I've checked my notification settings.", "My colleagues don't have this problem.",
	  "This started after I changed my email address."}},
	{{{"CSV import fails", "Importing {big} contacts from CSV fails: \"Invalid file format\"."},
	  {"Import from Zendesk", "We're moving from Zendesk and need to import our old tickets."},
	  {"Imported contacts missing", "The import succeeded but only half the contacts show up."},
	  {"Data import stuck", "The data import has been stuck at {num}0% since {day}."}},
	 {"The file is a UTF-8 encoded CSV.", "Some names contain accented characters.",
	  "We need this done before our launch."}},
	{{{"Inbox is very slow", "The inbox takes more than {num}0 seconds to load."},
	  {"Search is slow", "Searching conversations has been very slow since {day}."},
	  {"Reports dashboard timing out", "The reports dashboard times out before it loads."},
	  {"Lag when typing replies", "There's a noticeable lag when I type replies."}},
	 {"We have about {big} open conversations.", "I'm using {browser} on {computer}.",
	  "It's affecting the whole team, not just me."}},
};

static const char *const opening_greetings[] = {
	"", "", "", "Hi,", "Hello,", "Hi there!", "Hey team,", "Good morning,",
};
static const char *const opening_closings[] = {
	"", "", "Thanks!", "Thanks in advance.", "Can you help?", "This is urgent for us.",
	"Please advise.", "Any help appreciated 🙏", "Thank you 😊",
};

/* Ready-written messages in other languages: templates would not survive translation. */
struct foreign_message {
	const char *title, *body;
};

static const struct foreign_message foreign_openings[] = {
	{"Nie mogę się zalogować", "Od wczoraj nie mogę się zalogować. E-mail nie przychodzi."},
	{"Podwójna płatność", "Zostaliśmy obciążeni dwa razy za ten sam miesiąc. Proszę o zwrot."},
	{"Integracja ze Slackiem nie działa", "Nowe rozmowy nie pojawiają się na kanale."},
	{"Aplikacja mobilna się zawiesza", "Aplikacja zamyka się zaraz po uruchomieniu 😩"},
	{"Faktura z numerem NIP", "Potrzebuję faktury z NIP naszej firmy.\n\nGdzie zmienić dane?"},
	{"Usunięcie konta", "Proszę o usunięcie mojego konta i wszystkich danych zgodnie z RODO."},
	{"Не могу войти в аккаунт", "Здравствуйте! Письмо для сброса пароля не приходит."},
	{"Ошибка API 500", "С утра API возвращает ошибку 500 на все запросы. Помогите!"},
	{"Возврат средств", "Мы отменили подписку, но деньги всё равно списали. Прошу вернуть."},
	{"Экспорт не работает", "Экспорт разговоров в CSV выдаёт пустой файл."},
	{"Приложение вылетает", "Мобильное приложение вылетает при открытии диалога 📱"},
	{"Настройка SSO", "Как настроить вход через SSO (SAML) для всей команды?"},
	{"无法登录", "你好，我从昨天开始无法登录账户，重置密码的邮件也收不到。"},
	{"发票问题", "我们需要一张带有公司税号的发票，请问在哪里修改账单信息？"},
	{"API 报错 429", "我们的集成一直收到 429 错误。请问速率限制是多少？"},
	{"数据导入失败", "导入 CSV 联系人时提示文件格式无效。"},
	{"收件箱很慢", "收件箱加载非常慢，整个团队都受影响 😓"},
	{"ログインできません", "こんにちは。パスワードをリセットしたのに、ログインできません。"},
	{"請求書について", "今月の請求書の金額が間違っているようです。ご確認いただけますか？"},
	{"Slack連携が動きません", "Slackとの連携が昨日から止まっています。"},
	{"アプリがクラッシュします", "iPhoneのアプリが起動直後にクラッシュします 🙏"},
	{"プランのアップグレード", "Proプランにアップグレードしたいです。日割り計算になりますか？"},
	{"لا أستطيع تسجيل الدخول", "مرحبا، لم يصلني بريد إعادة تعيين كلمة المرور منذ أمس."},
	{"طلب استرداد", "تم خصم المبلغ مرتين هذا الشهر. أرجو استرداد المبلغ الزائد."},
	{"حذف الحساب", "أرغب في حذف حسابي وجميع بياناتي."},
	{"مشكلة في التكامل مع Salesforce", "توقف التكامل مع Salesforce عن مزامنة جهات الاتصال."},
	{"לא מצליח להתחבר", "שלום, המייל לאיפוס סיסמה לא מגיע מאז אתמול."},
	{"חשבונית שגויה", "הסכום בחשבונית של החודש גבוה מהמחיר של התוכנית שלנו."},
	{"האפליקציה קורסת", "האפליקציה בטלפון קורסת כל פעם שאני פותח שיחה 😞"},
	{"ייצוא נתונים", "איך אפשר לייצא את כל השיחות לקובץ CSV?"},
};

void corpus_opening(struct prng *r, char **title, char **body)
{
	const struct opening_topic *topic;
	const struct opening_case *c;
	struct words w;
	struct buf b = {0};
	const char *sep;
	size_t n_details, first;

	if (prng_below(r, 100) < 20) {
		const struct foreign_message *m = &PICK(r, foreign_openings);

		*title = xstrdup(m->title);
		*body = xstrdup(m->body);
		return;
	}
	words_draw(&w, r);
	topic = &PICK(r, opening_topics);
	c = &PICK(r, topic->cases);
	sep = prng_below(r, 4) == 0 ? "\n\n" : " ";
	*title = template_expand(&w, c->title);

	buf_add_sentence(&b, &w, PICK(r, opening_greetings), "");
	buf_add_sentence(&b, &w, c->problem, sep_after(&b, " "));
	/* Never the same detail twice; with the one-sentence problem and a closing, the body
	 * stays within four sentences. */
	n_details = prng_below(r, 3);
	first = prng_below(r, COUNT(topic->details));
	for (size_t k = 0; k < n_details; k++)
		buf_add_sentence(&b, &w, topic->details[(first + k) % COUNT(topic->details)], " ");
	buf_add_sentence(&b, &w, PICK(r, opening_closings), sep);
	*body = buf_finish(&b);
}

/* ---- the conversation goes on ---- */

static const char *const followups[] = {
	"Any update on this?", "Hi, just following up. Any news?",
	"I tried that and it still fails: {errmsg}",
	"I tried clearing the cache and logging in again, but it still doesn't work.",
	"Thanks, that fixed it! 🙌", "Thank you so much, all good now.", "It happened again {day}.",
	"This is now blocking {num} people on our team. Can you escalate?",
	"Here is the error I get:\n\n{errmsg}\n\nRequest ID: {reqid}",
	"Sorry, I forgot to mention: I'm using {browser} on {computer}.",
	"Is there a workaround in the meantime?",
	"Could you send me invoice {invoice} again? I can't find it.",
	"It's been {num} days without a real answer. Please respond.",
	"Never mind, I found the setting. Thanks!",
	"I've attached a screenshot. The Save button is just greyed out.",
	"Still waiting on this 😕", "Same problem on my {phone}.",
	"Great, I'll try that tomorrow and let you know.", "Есть новости?", "Nadal nie działa 😢",
	"Dziękuję, teraz działa!", "有进展吗？", "ありがとうございます、解決しました！",
	"هل من جديد؟", "תודה, זה עובד עכשיו!",
};

char *corpus_followup(struct prng *r)
{
	struct words w;

	words_draw(&w, r);
	return template_expand(&w, PICK(r, followups));
}

static const char *const reply_greetings[] = {
	"Hi there,", "Hello,", "Hey,", "Hi! Thanks for reaching out.",
	"Thanks for getting in touch.", "Thanks for your patience.",
};
static const char *const reply_bodies[] = {
	"I'm sorry about the trouble logging in. I've just sent a fresh password reset link to the "
	"email on your account; it's valid for 60 minutes.",
	"I've checked invoice {invoice} and you're right, the extra seats were billed by mistake. "
	"I've issued a refund of ${big}; it shows on your statement within 5-10 business days.",
	"It looks like the {int} connection lost its authorization. Could you go to Settings > "
	"Integrations > {int}, click Disconnect and then Connect again?",
	"Thanks for the details. Our engineers found the cause of the {err} errors and deployed a "
	"fix about an hour ago. Could you retry and let me know if you still see them?",
	"Large exports are processed in the background. You'll get an email with a download link "
	"once it's ready, usually within {num}0 minutes.",
	"We've identified a crash in version 4.{num}.1 of the mobile app. A fix is rolling out in "
	"the App Store and Google Play today, so updating the app should solve it.",
	"I've scheduled your account for deletion. Everything is removed within 30 days, and "
	"you'll get a confirmation email once it's done.",
	"You can upgrade any time from Settings > Billing > Plan. The price is prorated, so you "
	"only pay the difference for the rest of this billing period.",
	"SSO is available on the {plan} plan. Once it's enabled you can set it up under Settings > "
	"Security > Single sign-on.",
	"Notification preferences are per teammate: open your profile, go to Notifications and "
	"check that email alerts for new conversations are switched on.",
	"The import failed because the file uses semicolons as separators. If you save it as a "
	"comma-separated UTF-8 CSV and upload it again, it should go through.",
	"We're seeing slower load times for some workspaces today and our team is on it. You can "
	"follow updates on our status page.",
	"I've passed this on to our engineering team and will update you as soon as I hear back.",
	"Good news: this was fixed in today's release. Could you refresh the page and try again?",
	"I've added {num} seats; the prorated charge will show on your next invoice.",
};
static const char *const reply_questions[] = {
	"", "", "", "Could you send me a screenshot of the error?",
	"Which browser and version are you using?",
	"Could you share the request ID from the response headers?",
	"Does this happen for everyone on your team or just you?",
	"When did you first notice this?",
};
static const char *const reply_signoffs[] = {
	"", "Best,\n{admin}", "Let me know if there's anything else I can help with!",
	"Cheers,\n{admin}", "Have a great day!",
};

char *corpus_admin_reply(struct prng *r)
{
	struct words w;
	struct buf b = {0};
	const char *sep = prng_below(r, 2) ? "\n\n" : " ";

	words_draw(&w, r);
	buf_add_sentence(&b, &w, PICK(r, reply_greetings), "");
	buf_add_sentence(&b, &w, PICK(r, reply_bodies), sep_after(&b, sep));
	buf_add_sentence(&b, &w, PICK(r, reply_questions), " ");
	buf_add_sentence(&b, &w, PICK(r, reply_signoffs), "\n\n");
	return buf_finish(&b);
}

static const char *const notes[] = {
	"Customer is on a legacy plan; check with billing before refunding.",
	"Reproduced on staging. Filed as BUG-{big}.", "VIP account, reply within the hour.",
	"Possible duplicate of conversation #{big}.",
	"@{admin} can you take a look? Their SSO config looks off to me.",
	"Refund of ${big} approved by finance.", "Asked for a screenshot, waiting on the customer.",
	"Third time this month they've hit the {int} sync issue. Flagging as churn risk.",
	"Escalated to engineering, see #incident-{big}.",
	"Checked the logs: {err} responses for their API key since {day}.",
	"Customer prefers replies in their own language; used a translation tool.",
	"Don't close yet, the fix ships in 4.{num}.2.",
	"Account owner changed last week. Confirm identity before deleting any data.",
	"Offered a 20% discount for switching to the annual {plan} plan.",
	"Handing over to @{admin}, who knows their {int} setup.",
	"Known issue, linked to the status page incident.",
};

char *corpus_admin_note(struct prng *r)
{
	struct words w;

	words_draw(&w, r);
	return template_expand(&w, PICK(r, notes));
}

/* ---- help center ---- */

enum {
	CAT_ACCOUNT, CAT_BILLING, CAT_INTEGRATIONS, CAT_API, CAT_SECURITY, CAT_MOBILE,
	CAT_NOTIFICATIONS, CAT_DATA, CAT_TEAMS, CAT_REPORTING, CAT_PERFORMANCE,
};

/* Every how-to starts with "Open {where}."; these are the steps after it. */
struct article_category {
	const char *intro, *steps[3], *tips[3], *contact;
};

static const struct article_category categories[] = {
	[CAT_ACCOUNT] = {"Your account holds your login details, profile and preferences; changes "
	 "here only affect you, not the rest of your workspace.",
	 {"Make the change and confirm it with your current password.",
	  "Click Save; we send a confirmation email to the address on your account.",
	  "Log out and log in again (also in the mobile app) to check that everything works."},
	 {"Check your spam folder and add no-reply@example.com to your allowed senders.",
	  "Password reset links expire after 60 minutes, and five failed login attempts lock your "
	  "account for 15 minutes.",
	  "If your workspace uses SSO, your identity provider manages your password instead."},
	 "the email address on your account and the approximate time you tried to log in"},
	[CAT_BILLING] = {"Only workspace owners and teammates with the Billing permission can see "
	 "invoices and change the plan, payment method or seats.",
	 {"Check the billing period, the number of seats and the plan shown.",
	  "Make your change; the price shown already includes proration for this billing period.",
	  "Click Save. A new invoice or credit note (PDF) is sent to your billing email address."},
	 {"Add your company VAT number under Settings > Billing > Company details before the next "
	  "invoice is issued; invoices that were already paid can't be edited.",
	  "A charge can appear twice while your bank holds a pending authorization; the duplicate "
	  "disappears within 3-5 business days.",
	  "Refunds go back to the original card and show on your statement in 5-10 business days."},
	 "the invoice number (for example INV-2024-0042) and the last four digits of the card"},
	[CAT_INTEGRATIONS] = {"Integrations connect your inbox with the tools your team already "
	 "uses, such as Slack, Salesforce, HubSpot and Zapier, and sync data in both directions.",
	 {"Click Connect and sign in to the other service with an account that has admin rights.",
	  "Approve the requested permissions and choose what to sync.",
	  "Send a test conversation and check that it shows up on the other side within a minute."},
	 {"Most authorization errors go away if you disconnect the integration and connect again.",
	  "If the teammate who connected the integration has left, reconnect it as another admin.",
	  "Duplicate records usually mean two integrations sync the same objects; turn one off."},
	 "the integration's name, the time of the last successful sync and a screenshot"},
	[CAT_API] = {"The REST API lets you read and update conversations, contacts and tags from "
	 "your own code; every request needs an access token in the Authorization header.",
	 {"Create or copy an access token and keep it in a secret manager, never in source code.",
	  "Send a test request, for example GET /me, and check that it returns 200.",
	  "Log the X-Request-Id header of failed responses so our team can trace them."},
	 {"A 401 error means the token is missing, revoked or sent without the Bearer prefix.",
	  "A 429 error means you hit the rate limit; wait until the time in the X-RateLimit-Reset "
	  "header and retry with exponential backoff.",
	  "500 and 503 errors are on our side; retry after a few seconds and see the status page."},
	 "the request ID, the endpoint, the HTTP status code and the time of the request in UTC"},
	[CAT_SECURITY] = {"Security settings apply to the whole workspace and only workspace "
	 "owners and admins can change them.",
	 {"Review the current settings and note which teammates will be affected.",
	  "Make the change and click Save; all admins get an email confirmation.",
	  "Test it yourself in a private browser window before you announce it to the team."},
	 {"An invalid SAML response usually means the certificate in your identity provider (Okta, "
	  "Azure AD, Google Workspace) has expired or doesn't match.",
	  "A redirect loop after SSO sign-in is often caused by blocked third-party cookies.",
	  "Keep at least one owner able to log in with a password so you can't lock yourself out."},
	 "your identity provider, the time of the failed sign-in and the SAML error message"},
	[CAT_MOBILE] = {"The mobile app for iOS and Android lets you read and reply to "
	 "conversations, get push notifications and work from anywhere.",
	 {"Make sure the app is updated to the latest version.",
	  "Sign in with your work email or with SSO, and allow notifications when asked.",
	  "Pull down on the inbox to refresh and check that new conversations appear."},
	 {"If the app crashes on launch, delete it, restart your phone and install it again.",
	  "Crashes when opening a conversation with images usually stop if you clear the cache.",
	  "Battery saver modes on Android can delay push notifications; exclude the app there."},
	 "your phone model, its OS version and the app version from Settings > About"},
	[CAT_NOTIFICATIONS] = {"Notifications tell you about new conversations, replies and "
	 "mentions by email, in the browser and on your phone; each teammate sets their own.",
	 {"Choose which events notify you: new conversations, replies, mentions or assignments.",
	  "Pick the channels for each event (email, desktop or push) and click Save.",
	  "Send yourself a test notification with the Test button."},
	 {"If emails stop arriving, check whether they are filtered into spam or another folder.",
	  "Desktop notifications also need permission in your browser's site settings.",
	  "Notifications are paused while your status is set to Away."},
	 "the notification channel, your browser or phone and an example conversation"},
	[CAT_DATA] = {"You can bring contacts and conversation history in from CSV files or other "
	 "help desks, and export your data at any time.",
	 {"Check that your CSV file is UTF-8 encoded and uses commas, then upload it.",
	  "Map each column to a field and start the import or export.",
	  "Large jobs run in the background; wait for the email with results or a download link."},
	 {"Files saved from Excel often use semicolons or a legacy encoding; save as CSV UTF-8.",
	  "Each import can contain up to 100,000 rows, and rows with an invalid email are skipped.",
	  "Exports of more than 10,000 conversations can take up to an hour."},
	 "the file you uploaded (or its first rows) and the job ID from the results email"},
	[CAT_TEAMS] = {"Roles decide what each teammate can see and do, and teams group teammates "
	 "so that conversations can be assigned automatically.",
	 {"Select the teammate or team and choose a role: Owner, Admin, Agent or Read-only.",
	  "Add the teammate to one or more teams and set the assignment rules.",
	  "Click Save; changes apply the next time the teammate loads the page."},
	 {"Invitations expire after 7 days; resend them from the Teammates page.",
	  "Only owners can change billing, transfer ownership or delete the workspace.",
	  "Assignment rules run from top to bottom, and the first match wins."},
	 "the teammate's email address and the role they should have"},
	[CAT_REPORTING] = {"Reports show how your team is doing: conversation volume, first "
	 "response time, time to close and customer satisfaction.",
	 {"Pick a date range and, if you like, filter by team, tag or channel.",
	  "Hover over a chart to see the exact numbers, or click Export to download them as CSV.",
	  "Use Schedule to email the report to your team every week."},
	 {"Reports use your workspace time zone, so numbers can differ from your own calendar.",
	  "Report data can lag behind the inbox by up to 15 minutes.",
	  "Response times only count office hours if office hours are set."},
	 "the report, the date range and filters you used, and the numbers you expected"},
	[CAT_PERFORMANCE] = {"Most slowness comes from the browser, extensions or the network "
	 "rather than from your workspace itself.",
	 {"Update your browser and turn off extensions one by one.",
	  "Clear the cache, reload the page and run the network test on our status page.",
	  "Try another computer or network to see whether the problem follows you."},
	 {"Very large inboxes load faster if you close or archive old conversations.",
	  "Ad blockers, VPNs and corporate proxies can slow down search and live updates.",
	  "Check the status page: if we have an incident, you don't need to change anything."},
	 "a HAR file from your browser's developer tools, its version and when it was slow"},
};

/* Verbs and nouns start lowercase (titles capitalize them); nouns must be distinct. */
static const struct article_subject subjects[] = {
	{CAT_ACCOUNT, "reset your password", "password resets", "Settings > Account > Password",
	 "the password reset email never arrives or the link has expired"},
	{CAT_ACCOUNT, "change the email address on your account", "email address changes",
	 "Settings > Account > Profile", "you can't log in with your new email address"},
	{CAT_ACCOUNT, "delete your account", "account deletion", "Settings > Account > Delete",
	 "the Delete account button is greyed out"},
	{CAT_ACCOUNT, "unlock your account after failed login attempts", "locked accounts",
	 "Settings > Account > Security", "you see a message that your account is locked"},
	{CAT_BILLING, "download an invoice", "invoices", "Settings > Billing > Invoices",
	 "an invoice shows the wrong amount or your VAT number is missing"},
	{CAT_BILLING, "update your credit card and billing details", "payment methods",
	 "Settings > Billing > Payment method", "your card was declined or you were charged twice"},
	{CAT_BILLING, "request a refund", "refunds", "Settings > Billing > Invoices",
	 "a refund hasn't appeared on your statement after 10 business days"},
	{CAT_BILLING, "upgrade or downgrade your plan", "plan changes", "Settings > Billing > Plan",
	 "the new plan doesn't show up after you upgrade"},
	{CAT_BILLING, "add or remove seats", "seat billing", "Settings > Billing > Seats",
	 "the invoice lists more seats than you use"},
	{CAT_INTEGRATIONS, "connect Slack", "the Slack integration", "Settings > Integrations",
	 "new conversations stop showing up in your Slack channel"},
	{CAT_INTEGRATIONS, "connect Salesforce", "the Salesforce integration",
	 "Settings > Integrations > Salesforce", "contacts stop syncing or records are duplicated"},
	{CAT_INTEGRATIONS, "automate workflows with Zapier", "Zapier automations",
	 "Settings > Integrations > Zapier", "a Zap stops running or shows an authorization error"},
	{CAT_INTEGRATIONS, "connect HubSpot", "the HubSpot integration",
	 "Settings > Integrations > HubSpot", "HubSpot contacts don't update after a conversation"},
	{CAT_INTEGRATIONS, "reconnect an integration", "integration authorization errors",
	 "Settings > Integrations", "an integration shows an authorization error or stops syncing"},
	{CAT_API, "create an API access token", "API access tokens",
	 "Settings > Developers > Access tokens", "API requests fail with 401 Unauthorized"},
	{CAT_API, "handle API rate limits", "API rate limits", "Settings > Developers > Usage",
	 "API requests fail with HTTP 429 Too Many Requests"},
	{CAT_API, "set up webhooks", "webhooks", "Settings > Developers > Webhooks",
	 "your webhook endpoint stops receiving events"},
	{CAT_API, "debug API errors", "API error codes", "Settings > Developers > Logs",
	 "API requests start returning 500 or 503 errors"},
	{CAT_SECURITY, "set up SAML single sign-on (SSO)", "SAML SSO",
	 "Settings > Security > Single sign-on", "SSO sign-in fails or ends in a redirect loop"},
	{CAT_SECURITY, "enforce SSO for all teammates", "SSO enforcement",
	 "Settings > Security > Single sign-on", "teammates can still log in with a password"},
	{CAT_SECURITY, "turn on two-factor authentication", "two-factor authentication",
	 "Settings > Account > Security", "you lost the phone with your authenticator app"},
	{CAT_SECURITY, "review the audit log", "audit logs", "Settings > Security > Audit log",
	 "an event you expect is missing from the audit log"},
	{CAT_MOBILE, "install the mobile app", "the mobile app", "the App Store or Google Play",
	 "the app crashes on launch"},
	{CAT_MOBILE, "fix mobile app crashes", "mobile app crashes", "Settings > About in the app",
	 "the app crashes when you open a conversation or freezes on the loading screen"},
	{CAT_MOBILE, "reply to conversations from your phone", "mobile replies",
	 "the Inbox tab of the app", "your replies stay stuck in the Sending state"},
	{CAT_MOBILE, "set up push notifications on iOS and Android", "push notifications",
	 "the Notifications screen of the app", "push notifications arrive late or not at all"},
	{CAT_MOBILE, "log in to the mobile app with SSO", "mobile SSO", "the app's login screen",
	 "the SSO login page doesn't open in the app"},
	{CAT_NOTIFICATIONS, "manage email notifications", "email notifications",
	 "Settings > Notifications > Email", "you stop getting email notifications"},
	{CAT_NOTIFICATIONS, "turn on desktop notifications", "desktop notifications",
	 "Settings > Notifications > Desktop", "desktop notifications don't show in your browser"},
	{CAT_NOTIFICATIONS, "reduce notification noise", "notification rules",
	 "Settings > Notifications > Rules", "you are notified about every message everywhere"},
	{CAT_NOTIFICATIONS, "get notified before an SLA breach", "SLA alerts",
	 "Settings > Notifications > SLA", "you aren't warned before a conversation breaches SLA"},
	{CAT_DATA, "import contacts from a CSV file", "CSV contact imports", "Settings > Data",
	 "the import fails with \"Invalid file format\" or some contacts are missing"},
	{CAT_DATA, "migrate from Zendesk", "Zendesk migrations", "Settings > Data > Zendesk",
	 "the data import is stuck or old tickets are missing"},
	{CAT_DATA, "export conversations to CSV", "conversation exports", "Settings > Export",
	 "the export file is empty or the export never finishes"},
	{CAT_DATA, "export your data for a GDPR request", "GDPR data exports",
	 "Settings > Data > Privacy", "the export is missing some of the personal data"},
	{CAT_DATA, "fix encoding problems in imported data", "character encoding in imports",
	 "Settings > Data > Import", "accented, Cyrillic or Chinese names become question marks"},
	{CAT_TEAMS, "invite teammates", "teammate invitations", "Settings > Teammates",
	 "the invitation email never arrives"},
	{CAT_TEAMS, "assign roles and permissions", "roles and permissions",
	 "Settings > Teammates > Roles", "a teammate can't see a conversation or a setting"},
	{CAT_TEAMS, "set up teams and assignment rules", "assignment rules", "Settings > Teams",
	 "conversations are not assigned to the right team"},
	{CAT_TEAMS, "transfer workspace ownership", "workspace ownership",
	 "Settings > Workspace > Owner", "the current owner has left the company"},
	{CAT_REPORTING, "read the conversations report", "conversation reports",
	 "Reports > Conversations", "numbers in the report don't match your inbox"},
	{CAT_REPORTING, "track first response time", "response time metrics",
	 "Reports > Response times", "response times look much longer than expected"},
	{CAT_REPORTING, "measure customer satisfaction (CSAT)", "CSAT surveys",
	 "Reports > Customer satisfaction", "customers don't receive the satisfaction survey"},
	{CAT_REPORTING, "schedule a report by email", "scheduled reports", "Reports > Schedules",
	 "the scheduled report email doesn't arrive"},
	{CAT_REPORTING, "export report data", "report exports", "Reports > Export",
	 "the exported report is missing columns"},
	{CAT_PERFORMANCE, "speed up a slow inbox", "inbox loading times",
	 "Settings > General > Performance", "the inbox takes more than 10 seconds to load"},
	{CAT_PERFORMANCE, "make search faster", "search performance", "the search bar",
	 "searching conversations is very slow or times out"},
	{CAT_PERFORMANCE, "fix reports dashboard timeouts", "dashboard timeouts", "Reports",
	 "the reports dashboard times out before it loads"},
	{CAT_PERFORMANCE, "fix lag when typing replies", "composer lag", "the reply composer",
	 "there's a noticeable lag when typing replies"},
	{CAT_PERFORMANCE, "check your browser and network", "browser and network requirements",
	 "Settings > General > Diagnostics", "the app is slow on one computer but fine on others"},
};

/* The same subject seen from different angles, as real help centers repeat themselves. */
struct article_variant {
	const char *title, *description, *intro;
};

static const struct article_variant variants[] = {
	{"How to {verb}", "Step-by-step instructions to {verb}",
	 "This article explains how to {verb}. You'll find the setting under {where}."},
	{"Troubleshooting {noun}", "Common problems with {noun} and how to fix them",
	 "Having trouble with {noun}? This guide covers the most common problems and their fixes."},
	{"{Verb}: step-by-step guide", "A short walkthrough that shows you how to {verb}",
	 "Follow these steps to {verb}. The whole process takes a few minutes."},
	{"{Noun}: frequently asked questions", "Answers to the questions we hear most about {noun}",
	 "Here are answers to the questions our support team hears most often about {noun}."},
	{"Can't {verb}? Here's what to check", "What to check when you are unable to {verb}",
	 "If you can't {verb}, work through the checks below before you contact support."},
	{"Understanding {noun}", "A short explainer on {noun}, with the settings and limits",
	 "This article gives an overview of {noun}, where to find the settings and what to check "
	 "when something goes wrong."},
	{"Admin guide: {noun}", "What workspace owners and admins need to know about {noun}",
	 "This guide is for workspace owners and admins who manage {noun} for their team."},
	{"Best practices for {noun}", "Recommendations from our support team for {noun}",
	 "These recommendations about {noun} come from what we see working for thousands of "
	 "support teams."},
};

/* Later articles narrow a subject down; past these, numbered archive copies keep titles unique. */
static const char *const qualifiers[] = {
	"web app", "iOS", "Android", "Windows", "macOS", "Linux", "Chrome", "Firefox", "Safari",
	"Edge", "Starter plan", "Pro plan", "Enterprise plan", "EU data region", "US data region",
	"new workspaces", "legacy workspaces", "workspace owners", "agents", "read-only teammates",
	"multiple workspaces", "sandbox workspaces", "classic inbox", "new inbox",
};

static const char *const article_notes[] = {
	"This feature is available on all plans. Some options are only visible to admins.",
	"Changes are recorded in the audit log, so you can always see who changed what and when.",
	"Screenshots in this article show the web app; the mobile app has the same options.",
	"We ship improvements every week, so some buttons may be named slightly differently.",
	"On the Enterprise plan, your account manager can also help you with this.",
};

static void article_add_steps(struct buf *b, const struct words *w,
			      const struct article_category *c)
{
	buf_add_template(b, w, "To {verb}:\n1. Open {where}.");
	for (size_t k = 0; k < COUNT(c->steps); k++) {
		buf_addf(b, "\n%zu. ", k + 2);
		buf_add(b, c->steps[k]);
	}
}

/* Tips rotate with the article number so that neighbouring articles don't read identically. */
static void article_add_tips(struct buf *b, const struct words *w,
			     const struct article_category *c, size_t i)
{
	size_t n = 2 + i % 2, first = i / COUNT(subjects);

	buf_add_template(b, w, "If {symptom}, check the following:");
	for (size_t k = 0; k < n; k++) {
		buf_add(b, "\n- ");
		buf_add(b, c->tips[(first + k) % COUNT(c->tips)]);
	}
}

void corpus_article(size_t i, char **title, char **description, char **body)
{
	size_t round = i / (COUNT(subjects) * COUNT(variants));
	const char *qualifier = round && round <= COUNT(qualifiers) ? qualifiers[round - 1] : NULL;
	/* Subject varies fastest, so the first articles cover every topic once. */
	const struct article_variant *v = &variants[i / COUNT(subjects) % COUNT(variants)];
	struct words w = {.subject = &subjects[i % COUNT(subjects)]};
	const struct article_category *c = &categories[w.subject->category];
	struct buf b = {0};

	buf_add_template(&b, &w, v->title);
	if (qualifier)
		buf_addf(&b, " (%s)", qualifier);
	else if (round)
		buf_addf(&b, " (archive %zu)", round - COUNT(qualifiers));
	*title = buf_finish(&b);

	b = (struct buf){0};
	buf_add_template(&b, &w, v->description);
	buf_addf(&b, qualifier ? " (%s)." : "%s.", qualifier ? qualifier : "");
	*description = buf_finish(&b);

	b = (struct buf){0};
	buf_add_template(&b, &w, v->intro);
	buf_addf(&b, " %s", c->intro);
	if (qualifier)
		buf_addf(&b, " The notes below apply to: %s.", qualifier);
	buf_add(&b, "\n\n");
	article_add_steps(&b, &w, c);
	buf_add(&b, "\n\n");
	article_add_tips(&b, &w, c, i);
	if (i % 4 != 3)
		buf_addf(&b, "\n\n%s", article_notes[i % COUNT(article_notes)]);
	buf_addf(&b, "\n\nStill stuck? Start a conversation from the Help menu and include %s. "
		     "That helps us find the problem faster.", c->contact);
	*body = buf_finish(&b);
}
