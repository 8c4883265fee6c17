## connectid sign-in pages, messages and assets — Bulgarian (bg).
## Terminology: "Вход" / "влизане", "Изход" / "излизане", "Влезли сте като"; never "потребителско име".
## Polite plural "вие" (lower-case, as Bulgarian consumer sites write it); buttons are verbal nouns.

brand = CONNECT ID
language = Език

## The first screen (data-step="identifier")
signin-title = Вход
identifier-label-phone = Телефонен номер
identifier-label-email = Имейл
identifier-label-phone-or-email = Телефонен номер или имейл
identifier-label-email-or-phone = Имейл или телефонен номер
identifier-placeholder-email = ime@example.com
identifier-locked = Тази услуга поиска да влезете с този телефонен номер или имейл.
remember = Оставане в профила
button-next = Напред

## Password (data-step="password")
password-title = Въведете паролата си
signing-in-as = Влизане като { $identifier }
password-label = Парола
button-signin = Вход
not-you = Не сте вие? Използвайте друг телефонен номер или имейл
forgot-password = Забравена парола?

## One-time code (data-step="code")
code-title = Въведете кода
code-sent = Изпратихме 6-цифрен код на { $identifier }.
code-label = Код
button-continue = Продължаване
code-resend = Изпращане на нов код

## Choose a password (data-step="set-password")
set-password-title = Създайте парола
set-password-for = За { $identifier }.
password-rules = Поне { $min ->
    [one] { $min } знак
   *[other] { $min } знака
  }. Избягвайте често срещани пароли.
new-password-label = Нова парола
strength-label = Сила на паролата
strength-0 = Много слаба
strength-1 = Слаба
strength-2 = Средна
strength-3 = Добра
strength-4 = Силна

## Add an email (data-step="add-email")
add-email-title = Добавете имейла си
add-email-text = { $client } се нуждае от имейл адрес за профила ви. Ще изпратим код, за да го потвърдим.
email-label = Имейл

## Consent (data-step="consent")
consent-title = Да се разреши ли на { $client } да използва профила ви?
signed-in-as = Влезли сте като { $identifier }
scope-openid = Да знае, че това сте вие
scope-profile = Вашето име и език
scope-email = Вашият имейл адрес
scope-phone = Вашият телефонен номер
scope-offline_access = Да поддържа връзка, когато не използвате услугата
scope-device_sso = Да влизате автоматично в другите приложения на същия издател на това устройство
button-allow = Разрешаване
button-deny = Отказ

## Signing out
logout-title = Искате ли да излезете от CONNECT ID?
button-signout = Изход
signed-out-title = Излязохте от профила си
signed-out-text = Излязохте от CONNECT ID на това устройство.
signed-out-everywhere-title = Излязохте от всички устройства
signed-out-everywhere-text = Всички сесии на профила ви в CONNECT ID са прекратени: на това устройство, на другите ви устройства и във всички услуги.
signed-out-signin-again = Повторно влизане

## Error pages (data-step="error")
error-title = Нещо се обърка
error-details-label = Подробности за разработчиците на услугата:
error-reference = Референтен номер: { $id }
error-bad-request = Услугата изпрати заявка за вход, която CONNECT ID не може да приеме. Върнете се към услугата и опитайте отново.
error-unknown-client = Тази услуга не е регистрирана в CONNECT ID.
error-signin-expired = Времето за вход изтече. Върнете се към услугата и започнете отначало.
error-other-browser = Влизането е започнато в друг браузър. Върнете се към услугата и започнете отначало.
error-form-expired = Валидността на формуляра изтече. Върнете се назад и опитайте отново.
error-server = Нещо се обърка от наша страна. Моля, опитайте отново.
error-answer-not-sent = Отговорът не можа да бъде изпратен до услугата.
error-not-found = Тази страница не съществува.
error-account-locked = Вашият CONNECT ID акаунт е заключен. Свържете се с поддръжката на услугата, за да бъде отключен.

## Messages shown above a form (role="alert")
err-identifier-empty = Въведете телефонен номер или имейл адрес.
err-identifier-phone = Това не е валиден телефонен номер.
err-identifier-email = Това не е валиден имейл адрес.
err-enter-phone = Въведете телефонен номер.
err-enter-email = Въведете имейл адрес.
err-locked = Използвайте телефонния номер или имейла на профила, с който сте влезли, или изберете „Не сте вие?“.
err-hint-locked = Използвайте телефонния номер или имейла, които тази услуга поиска.
err-no-sms = Тази услуга не изпраща кодове чрез SMS. Влезте с имейла и паролата си.
err-sms-refused = Не можем да изпратим код чрез SMS на този номер.
err-sms-refused-email = Не можем да изпратим код чрез SMS на този номер. Влезте с имейл адреса си.
err-sms-challenge = Преди да изпратим код, браузърът ви проверява, че сте човек. Това отнема миг.
challenge-working = Проверка…
challenge-noscript = Тази проверка изисква JavaScript. Без него влезте с имейл адреса или паролата си.
err-sms-budget = Днес не могат да се изпращат повече кодове чрез SMS. Опитайте отново утре.
err-resend-wait = Току-що беше изпратен код. Изчакайте { $seconds ->
    [one] { $seconds } секунда
   *[other] { $seconds } секунди
  }, преди да поискате нов.
err-too-many-sends = Изпратени са твърде много кодове до този номер или адрес. Опитайте отново след час.
err-send-failed = Кодът не можа да бъде изпратен. Опитайте отново след малко.
err-unavailable = Това не може да стане в момента. Опитайте отново след няколко минути.
err-too-many-passwords = Твърде много грешни пароли. Изчакайте { $minutes ->
    [one] { $minutes } минута
   *[other] { $minutes } минути
  } и опитайте отново.
err-too-many-attempts = Твърде много опити. Изчакайте { $minutes ->
    [one] { $minutes } минута
   *[other] { $minutes } минути
  } и опитайте отново.
err-password-wrong = Паролата е грешна. Опитайте отново.
err-code-expired = Валидността на кода изтече. Поискайте нов.
err-code-too-many = Твърде много грешни кодове. Поискайте нов.
err-code-wrong = Кодът е грешен. Проверете го и опитайте отново.
err-conflict = Междувременно нещо се промени. Опитайте отново.
err-password-short = Паролата трябва да е поне { $min ->
    [one] { $min } знак
   *[other] { $min } знака
  }.
err-password-long = Паролата е твърде дълга (най-много 128 байта).
err-password-common = Тази парола е твърде често срещана. Изберете друга.
err-password-weak = Тази парола се отгатва твърде лесно. Направете я по-дълга или по-трудна за отгатване.
err-password-identifier = Паролата не може да бъде телефонният ви номер или имейлът ви.
err-email-taken = Този имейл се използва от друг профил. Използвайте друг имейл.

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = Код за CONNECT ID: { $code }. Валиден 5 мин.
email-code-subject = Вашият код за CONNECT ID
email-code-body = Вашият код за CONNECT ID е { $code }. Валиден е 5 минути. Ако не сте опитвали да влезете, можете да пренебрегнете този имейл.
password-changed-subject = Паролата ви за CONNECT ID беше променена
password-changed-body = Паролата на профила ви в CONNECT ID беше променена. Ако не сте били вие, незабавно нулирайте паролата си.

## The "Sign in with CONNECT ID" button
signin-button = Вход с CONNECT ID

## The flow previewer (/flow-previewer)
previewer-title = Преглед на процеса на вход
previewer-intro = Вижте всяка стъпка от входа така, както хората ще я виждат с настройките на вашата услуга. Нищо не се изпраща и никой не влиза в профила си.
previewer-client-id = Идентификатор на клиента (client ID) на регистрирана услуга
previewer-metadata = Или поставете метаданните на клиента (JSON)
previewer-step = Стъпка
previewer-login-hint = Телефонен номер или имейл за попълване (login_hint)
previewer-locked = Само с този телефонен номер или имейл може да се влезе (login_hint_locked)
previewer-show = Покажи прегледа
previewer-banner = Преглед на стъпката „{ $step }“. Формулярите тук не изпращат нищо.
previewer-back = Промяна на настройките
previewer-unknown-client = Няма регистрирана услуга с този идентификатор на клиента.
previewer-need-client = Въведете идентификатор на клиента или поставете метаданните на клиента.
previewer-invalid-metadata = Тези метаданни на клиента не са валидни.

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = Моят профил
account-nav = Профил
account-phones = Телефонни номера
account-emails = Имейл адреси
account-none = Все още няма
account-unverified = Непотвърден
account-remove = Премахване
account-remove-label = Премахване на { $identifier }
account-add-phone = Добавяне на телефонен номер
account-add-email = Добавяне на имейл адрес
account-add-text = Ще изпратим код, за да го потвърдим.
account-password = Парола
account-password-change = Промяна на паролата
account-password-set = Създаване на парола
account-password-none = Влизате само с кодове.
account-services = Свързани услуги
account-services-text = Услуги, в които сте влезли с CONNECT ID. Ако прекъснете връзката с дадена услуга, ще излезете от нея и ще трябва да влезете отново.
account-services-none = Към профила ви няма свързани услуги.
account-services-manage = Преглед на услугите ви и прекъсване на връзката с тях
account-disconnect = Прекъсване на връзката
account-disconnect-label = Прекъсване на връзката с { $service }
account-signout-everywhere = Изход от всички устройства
account-signout-everywhere-text = Прекратява сесиите ви на всички устройства и във всички услуги, включително тази.
account-delete = Изтриване на профила
account-delete-text = Профилът ви заедно с телефонните номера и имейл адресите в него ще бъде изтрит и ще излезете от всички услуги. Това действие е необратимо.
account-delete-confirm = Изтриване на профила ми
account-deleted-title = Профилът ви беше изтрит
account-deleted-text = Профилът ви в CONNECT ID и всичко, съхранено в него, бяха изтрити.
account-back = Обратно към { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = Да се премахне ли { $identifier }?
account-remove-text = Вече няма да можете да влизате с { $identifier } и на него няма да се изпращат кодове.
account-remove-confirm = Премахване
account-reauth-reason = За да промените профила си, първо потвърдете, че това сте вие.
button-cancel = Отказ
button-save = Запазване
button-add = Добавяне
notice-password-changed = Паролата ви беше променена. Излязохте от другите си устройства.
notice-identifier-added = { $identifier } беше добавен към профила ви.
notice-identifier-removed = { $identifier } беше премахнат от профила ви.
notice-service-disconnected = Връзката с { $service } беше прекъсната.
err-last-identifier = Не можете да премахнете последния си телефонен номер или имейл адрес.
err-identifier-taken = Този телефонен номер или имейл адрес се използва от друг профил.
err-identifier-known = Този телефонен номер или имейл адрес вече е добавен към профила ви.
identifier-added-subject = Към профила ви в CONNECT ID беше добавен нов телефонен номер или имейл
identifier-added-body = { $identifier } беше добавен към профила ви в CONNECT ID. Ако не сте били вие, влезте, премахнете го и сменете паролата си.

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = Продължаване като { $identifier }?
preauth-text = { $service } отваря страница за вас, в която сте влезли с вашия CONNECT ID. Продължете само ако сами сте я отворили от приложението.
error-link-used = Тази връзка е изтекла или вече е използвана. Върнете се в приложението и опитайте отново.

## The start page (/): data-step="home"
home-text = Услугите ви изпращат тук, за да влезете с вашия CONNECT ID. Тук можете и да управлявате профила си.
home-demo = Изпробване на демонстрационните услуги
home-discovery = OpenID Connect Discovery (за разработчици)
