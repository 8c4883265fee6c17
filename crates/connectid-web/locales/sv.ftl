## connectid sign-in pages, messages and assets — Swedish (sv).
## Terminology: "Logga in" / "Logga ut" / "Inloggad som"; never "användarnamn".
## Email is "e-post" / "e-postadress" / "e-postmeddelandet", never "mejl".

brand = CONNECT ID
language = Språk

## The first screen (data-step="identifier")
signin-title = Logga in
identifier-label-phone = Telefonnummer
identifier-label-email = E-post
identifier-label-phone-or-email = Telefonnummer eller e-post
identifier-label-email-or-phone = E-post eller telefonnummer
identifier-placeholder-email = namn@example.com
identifier-locked = Tjänsten har bett dig logga in med det här telefonnumret eller den här e-postadressen.
remember = Förbli inloggad
button-next = Nästa

## Password (data-step="password")
password-title = Ange ditt lösenord
signing-in-as = Loggar in som { $identifier }
password-label = Lösenord
button-signin = Logga in
not-you = Inte du? Använd ett annat telefonnummer eller en annan e-postadress
forgot-password = Glömt lösenordet?

## One-time code (data-step="code")
code-title = Ange koden
code-sent = Vi har skickat en sexsiffrig kod till { $identifier }.
code-label = Kod
button-continue = Fortsätt
code-resend = Skicka en ny kod

## Choose a password (data-step="set-password")
set-password-title = Välj ett lösenord
set-password-for = För { $identifier }.
password-rules = Minst { $min ->
    [one] { $min } tecken
   *[other] { $min } tecken
  }. Undvik vanliga lösenord.
new-password-label = Nytt lösenord
strength-label = Lösenordsstyrka
strength-0 = Mycket svagt
strength-1 = Svagt
strength-2 = Godtagbart
strength-3 = Bra
strength-4 = Starkt

## Add an email (data-step="add-email")
add-email-title = Lägg till din e-postadress
add-email-text = { $client } behöver en e-postadress till ditt konto. Vi skickar en kod för att bekräfta den.
email-label = E-post

## Consent (data-step="consent")
consent-title = Vill du låta { $client } använda ditt konto?
signed-in-as = Inloggad som { $identifier }
scope-openid = Veta att det är du
scope-profile = Ditt namn och språk
scope-email = Din e-postadress
scope-phone = Ditt telefonnummer
scope-offline_access = Vara ansluten även när du inte använder tjänsten
scope-device_sso = Hålla dig inloggad i utgivarens andra appar på den här enheten
button-allow = Tillåt
button-deny = Neka

## Signing out
logout-title = Vill du logga ut från CONNECT ID?
button-signout = Logga ut
signed-out-title = Du är utloggad
signed-out-text = Du har loggat ut från CONNECT ID på den här enheten.
signed-out-everywhere-title = Du är utloggad på alla enheter
signed-out-everywhere-text = Alla sessioner för ditt CONNECT ID-konto har avslutats: på den här enheten, på dina andra enheter och i alla tjänster.
signed-out-signin-again = Logga in igen

## Error pages (data-step="error")
error-title = Något gick fel
error-details-label = Information till tjänstens utvecklare:
error-reference = Referens: { $id }
error-bad-request = Tjänsten skickade en inloggningsbegäran som CONNECT ID inte kan ta emot. Gå tillbaka till tjänsten och försök igen.
error-unknown-client = Den här tjänsten är inte registrerad hos CONNECT ID.
error-signin-expired = Inloggningen har gått ut. Gå tillbaka till tjänsten och börja om.
error-other-browser = Inloggningen påbörjades i en annan webbläsare. Gå tillbaka till tjänsten och börja om.
error-form-expired = Formuläret har gått ut. Gå tillbaka och försök igen.
error-server = Något gick fel hos oss. Försök igen.
error-answer-not-sent = Svaret kunde inte skickas till tjänsten.
error-not-found = Sidan finns inte.
error-account-locked = Ditt CONNECT ID-konto är låst. Kontakta tjänstens support för att få det upplåst.

## Messages shown above a form (role="alert")
err-identifier-empty = Ange ett telefonnummer eller en e-postadress.
err-identifier-phone = Det här är inte ett giltigt telefonnummer.
err-identifier-email = Det här är inte en giltig e-postadress.
err-enter-phone = Ange ett telefonnummer.
err-enter-email = Ange en e-postadress.
err-locked = Använd telefonnumret eller e-postadressen för kontot du är inloggad med, eller välj ”Inte du?”.
err-hint-locked = Använd telefonnumret eller e-postadressen som tjänsten bad om.
err-no-sms = Den här tjänsten skickar inte koder via sms. Logga in med din e-postadress och ditt lösenord.
err-sms-refused = Vi kan inte skicka en kod via sms till det här numret.
err-sms-refused-email = Vi kan inte skicka en kod via sms till det här numret. Logga in med din e-postadress i stället.
err-sms-challenge = Innan vi skickar en kod kontrollerar din webbläsare att du är en människa. Det tar en liten stund.
challenge-working = Kontrollerar …
challenge-noscript = Kontrollen kräver JavaScript. Utan det kan du logga in med din e-postadress eller ditt lösenord i stället.
err-sms-budget = Inga fler koder kan skickas via sms i dag. Försök igen i morgon.
err-resend-wait = En kod skickades nyss. Vänta { $seconds ->
    [one] { $seconds } sekund
   *[other] { $seconds } sekunder
  } innan du begär en ny.
err-too-many-sends = För många koder har skickats till det här numret eller den här adressen. Försök igen om en timme.
err-send-failed = Koden kunde inte skickas. Försök igen om en stund.
err-unavailable = Det går inte just nu. Försök igen om några minuter.
err-too-many-passwords = För många felaktiga lösenord. Vänta { $minutes ->
    [one] { $minutes } minut
   *[other] { $minutes } minuter
  } och försök igen.
err-too-many-attempts = För många försök. Vänta { $minutes ->
    [one] { $minutes } minut
   *[other] { $minutes } minuter
  } och försök igen.
err-password-wrong = Fel lösenord. Försök igen.
err-code-expired = Koden har gått ut. Begär en ny.
err-code-too-many = För många felaktiga koder. Begär en ny.
err-code-wrong = Koden är fel. Kontrollera den och försök igen.
err-conflict = Något har ändrats under tiden. Försök igen.
err-password-short = Lösenordet måste ha minst { $min ->
    [one] { $min } tecken
   *[other] { $min } tecken
  }.
err-password-long = Lösenordet är för långt (högst 128 byte).
err-password-common = Lösenordet är för vanligt. Välj ett annat.
err-password-weak = Lösenordet är för lätt att gissa. Gör det längre eller mindre förutsägbart.
err-password-identifier = Lösenordet får inte vara ditt telefonnummer eller din e-postadress.
err-email-taken = E-postadressen tillhör ett annat konto. Använd en annan e-postadress.

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = Din CONNECT ID-kod är { $code }. Den går ut om 5 minuter.
email-code-subject = Din CONNECT ID-kod
email-code-body = Din CONNECT ID-kod är { $code }. Den går ut om 5 minuter. Om du inte har försökt logga in kan du bortse från det här e-postmeddelandet.
password-changed-subject = Ditt lösenord för CONNECT ID har ändrats
password-changed-body = Lösenordet för ditt CONNECT ID-konto har ändrats. Om det inte var du ska du återställa lösenordet direkt.

## The "Sign in with CONNECT ID" button
signin-button = Logga in med CONNECT ID

## The flow previewer (/flow-previewer)
previewer-title = Förhandsgranskning av inloggningen
previewer-intro = Se varje inloggningssteg så som användarna ser det med din tjänsts inställningar. Inget skickas och ingen loggas in.
previewer-client-id = Klient-id för en registrerad tjänst
previewer-metadata = Eller klistra in klientmetadata (JSON)
previewer-step = Steg
previewer-login-hint = Telefonnummer eller e-postadress att fylla i (login_hint)
previewer-locked = Bara det här telefonnumret eller den här e-postadressen kan logga in (login_hint_locked)
previewer-show = Visa förhandsgranskning
previewer-banner = Förhandsgranskning av steget ”{ $step }”. Formulären här skickar ingenting.
previewer-back = Ändra inställningarna
previewer-unknown-client = Ingen tjänst är registrerad med det här klient-id:t.
previewer-need-client = Ange ett klient-id eller klistra in klientmetadata.
previewer-invalid-metadata = Klientmetadatan är ogiltig.

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = Mitt konto
account-nav = Konto
account-phones = Telefonnummer
account-emails = E-postadresser
account-none = Inga än
account-unverified = Inte bekräftad
account-remove = Ta bort
account-remove-label = Ta bort { $identifier }
account-add-phone = Lägg till ett telefonnummer
account-add-email = Lägg till en e-postadress
account-add-text = Vi skickar en bekräftelsekod till dig.
account-password = Lösenord
account-password-change = Byt lösenord
account-password-set = Välj ett lösenord
account-password-none = Du loggar bara in med koder.
account-services = Anslutna tjänster
account-services-text = Tjänster som du har loggat in på med CONNECT ID. Om du kopplar från en tjänst loggas du ut från den och måste logga in igen.
account-services-none = Inga tjänster är anslutna till ditt konto.
account-services-manage = Se och koppla från dina tjänster
account-disconnect = Koppla från
account-disconnect-label = Koppla från { $service }
account-signout-everywhere = Logga ut på alla enheter
account-signout-everywhere-text = Avslutar dina sessioner på alla enheter och i alla tjänster, även den här.
account-delete = Radera konto
account-delete-text = Ditt konto och dess telefonnummer och e-postadresser raderas, och du loggas ut från alla tjänster. Det går inte att ångra.
account-delete-confirm = Radera mitt konto
account-deleted-title = Ditt konto har raderats
account-deleted-text = Ditt CONNECT ID-konto och allt som var sparat i det har raderats.
account-back = Tillbaka till { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = Vill du ta bort { $identifier }?
account-remove-text = Du kan inte längre logga in med { $identifier }, och inga fler koder skickas dit.
account-remove-confirm = Ta bort
account-reauth-reason = För att ändra ditt konto måste du först bekräfta att det är du.
button-cancel = Avbryt
button-save = Spara
button-add = Lägg till
notice-password-changed = Ditt lösenord har ändrats. Du har loggats ut på dina andra enheter.
notice-identifier-added = { $identifier } har lagts till i ditt konto.
notice-identifier-removed = { $identifier } har tagits bort från ditt konto.
notice-service-disconnected = { $service } har kopplats från.
err-last-identifier = Du kan inte ta bort ditt sista telefonnummer eller din sista e-postadress.
err-identifier-taken = Telefonnumret eller e-postadressen tillhör ett annat konto.
err-identifier-known = Telefonnumret eller e-postadressen finns redan i ditt konto.
identifier-added-subject = Ett nytt telefonnummer eller en ny e-postadress har lagts till i ditt CONNECT ID-konto
identifier-added-body = { $identifier } har lagts till i ditt CONNECT ID-konto. Om det inte var du ska du logga in, ta bort det och byta lösenord.

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = Fortsätta som { $identifier }?
preauth-text = { $service } öppnar en sida åt dig där du är inloggad med ditt CONNECT ID. Fortsätt bara om du själv öppnade den från appen.
error-link-used = Länken har gått ut eller har redan använts. Gå tillbaka till appen och försök igen.

## The start page (/): data-step="home"
home-text = Tjänster skickar dig hit när du ska logga in med ditt CONNECT ID. Du kan också hantera ditt konto här.
home-demo = Prova demotjänsterna
home-discovery = OpenID Connect Discovery (för utvecklare)
