## connectid sign-in pages, messages and assets — Danish (da).
## Terminology: "Log ind", "Log ud", "Logget ind som"; never "brugernavn" or the noun "login".
## Informal "du", as Danish consumer services (MitID, banks, Google, Apple) use.

brand = CONNECT ID
language = Sprog

## The first screen (data-step="identifier")
signin-title = Log ind
identifier-label-phone = Telefonnummer
identifier-label-email = E-mail
identifier-label-phone-or-email = Telefonnummer eller e-mail
identifier-label-email-or-phone = E-mail eller telefonnummer
identifier-placeholder-email = navn@example.com
identifier-locked = Tjenesten har bedt dig om at logge ind med dette telefonnummer eller denne e-mail.
remember = Forbliv logget ind
button-next = Næste

## Password (data-step="password")
password-title = Indtast din adgangskode
signing-in-as = Logger ind som { $identifier }
password-label = Adgangskode
button-signin = Log ind
not-you = Ikke dig? Brug et andet telefonnummer eller en anden e-mail
forgot-password = Glemt adgangskoden?

## One-time code (data-step="code")
code-title = Indtast koden
code-sent = Vi har sendt en 6-cifret kode til { $identifier }.
code-label = Kode
button-continue = Fortsæt
code-resend = Send en ny kode

## Choose a password (data-step="set-password")
set-password-title = Vælg en adgangskode
set-password-for = Til { $identifier }.
password-rules = Mindst { $min ->
    [one] { $min } tegn
   *[other] { $min } tegn
  }. Undgå almindelige adgangskoder.
new-password-label = Ny adgangskode
strength-label = Adgangskodens styrke
strength-0 = Meget svag
strength-1 = Svag
strength-2 = Middel
strength-3 = God
strength-4 = Stærk

## Add an email (data-step="add-email")
add-email-title = Tilføj din e-mail
add-email-text = { $client } skal bruge en e-mailadresse til din konto. Vi sender en kode for at bekræfte den.
email-label = E-mail

## Consent (data-step="consent")
consent-title = Vil du give { $client } lov til at bruge din konto?
signed-in-as = Logget ind som { $identifier }
scope-openid = Vide, at det er dig
scope-profile = Dit navn og sprog
scope-email = Din e-mailadresse
scope-phone = Dit telefonnummer
scope-offline_access = Bevare forbindelsen, når du ikke bruger tjenesten
scope-device_sso = Holde dig logget ind i samme udgivers andre apps på denne enhed
button-allow = Tillad
button-deny = Afvis

## Signing out
logout-title = Vil du logge ud af CONNECT ID?
button-signout = Log ud
signed-out-title = Du er logget ud
signed-out-text = Du er logget ud af CONNECT ID på denne enhed.
signed-out-everywhere-title = Du er logget ud på alle enheder
signed-out-everywhere-text = Alle sessioner på din CONNECT ID-konto er afsluttet: på denne enhed, på dine andre enheder og i alle tjenester.
signed-out-signin-again = Log ind igen

## Error pages (data-step="error")
error-title = Noget gik galt
error-details-label = Oplysninger til tjenestens udviklere:
error-reference = Reference: { $id }
error-bad-request = Tjenesten sendte en anmodning om at logge ind, som CONNECT ID ikke kan godtage. Gå tilbage til tjenesten, og prøv igen.
error-unknown-client = Denne tjeneste er ikke registreret hos CONNECT ID.
error-signin-expired = Tiden til at logge ind er udløbet. Gå tilbage til tjenesten, og start forfra.
error-other-browser = Du begyndte at logge ind i en anden browser. Gå tilbage til tjenesten, og start forfra.
error-form-expired = Formularen er udløbet. Gå tilbage, og prøv igen.
error-server = Der opstod en fejl hos os. Prøv igen.
error-answer-not-sent = Svaret kunne ikke sendes til tjenesten.
error-not-found = Siden findes ikke.
error-account-locked = Din CONNECT ID-konto er låst. Kontakt tjenestens support for at få den låst op.

## Messages shown above a form (role="alert")
err-identifier-empty = Indtast et telefonnummer eller en e-mailadresse.
err-identifier-phone = Dette er ikke et gyldigt telefonnummer.
err-identifier-email = Dette er ikke en gyldig e-mailadresse.
err-enter-phone = Indtast et telefonnummer.
err-enter-email = Indtast en e-mailadresse.
err-locked = Brug telefonnummeret eller e-mailen for den konto, du er logget ind med, eller vælg »Ikke dig?«.
err-hint-locked = Brug det telefonnummer eller den e-mail, som tjenesten bad om.
err-no-sms = Denne tjeneste sender ikke koder via sms. Log ind med din e-mail og adgangskode.
err-sms-refused = Vi kan ikke sende en kode via sms til dette nummer.
err-sms-refused-email = Vi kan ikke sende en kode via sms til dette nummer. Log ind med din e-mailadresse i stedet.
err-sms-challenge = Før vi sender en kode, tjekker din browser, at du er et menneske. Det tager et øjeblik.
challenge-working = Tjekker …
challenge-noscript = Tjekket kræver JavaScript. Uden det kan du logge ind med din e-mailadresse eller din adgangskode i stedet.
err-sms-budget = Der kan ikke sendes flere koder via sms i dag. Prøv igen i morgen.
err-resend-wait = Der er lige sendt en kode. Vent { $seconds ->
    [one] { $seconds } sekund
   *[other] { $seconds } sekunder
  }, før du beder om en ny.
err-too-many-sends = Der er sendt for mange koder til dette nummer eller denne adresse. Prøv igen om en time.
err-send-failed = Koden kunne ikke sendes. Prøv igen om lidt.
err-unavailable = Det kan ikke lade sig gøre lige nu. Prøv igen om et par minutter.
err-too-many-passwords = For mange forkerte adgangskoder. Vent { $minutes ->
    [one] { $minutes } minut
   *[other] { $minutes } minutter
  }, og prøv igen.
err-too-many-attempts = For mange forsøg. Vent { $minutes ->
    [one] { $minutes } minut
   *[other] { $minutes } minutter
  }, og prøv igen.
err-password-wrong = Adgangskoden er forkert. Prøv igen.
err-code-expired = Koden er udløbet. Bed om en ny.
err-code-too-many = For mange forkerte koder. Bed om en ny.
err-code-wrong = Koden er forkert. Tjek den, og prøv igen.
err-conflict = Noget er blevet ændret i mellemtiden. Prøv igen.
err-password-short = Adgangskoden skal være på mindst { $min ->
    [one] { $min } tegn
   *[other] { $min } tegn
  }.
err-password-long = Adgangskoden er for lang (højst 128 byte).
err-password-common = Denne adgangskode er for almindelig. Vælg en anden.
err-password-weak = Denne adgangskode er for let at gætte. Gør den længere eller mindre forudsigelig.
err-password-identifier = Adgangskoden må ikke være dit telefonnummer eller din e-mail.
err-email-taken = Denne e-mail hører til en anden konto. Brug en anden e-mail.

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = Din CONNECT ID-kode er { $code }. Den udløber om 5 minutter.
email-code-subject = Din CONNECT ID-kode
email-code-body = Din CONNECT ID-kode er { $code }. Den udløber om 5 minutter. Hvis du ikke har prøvet at logge ind, kan du se bort fra denne e-mail.
password-changed-subject = Din adgangskode til CONNECT ID er blevet ændret
password-changed-body = Adgangskoden til din CONNECT ID-konto er blevet ændret. Hvis det ikke var dig, skal du nulstille din adgangskode med det samme.

## The "Sign in with CONNECT ID" button
signin-button = Log ind med CONNECT ID

## The flow previewer (/flow-previewer)
previewer-title = Forhåndsvisning af trinene ved log ind
previewer-intro = Se hvert trin, når man logger ind, sådan som folk vil se det med din tjenestes indstillinger. Intet bliver sendt, og ingen bliver logget ind.
previewer-client-id = Klient-id for en registreret tjeneste
previewer-metadata = Eller indsæt klientmetadata (JSON)
previewer-step = Trin
previewer-login-hint = Telefonnummer eller e-mail, der skal udfyldes (login_hint)
previewer-locked = Kun dette telefonnummer eller denne e-mail kan logge ind (login_hint_locked)
previewer-show = Vis forhåndsvisning
previewer-banner = Forhåndsvisning af trinnet »{ $step }«. Formularerne her sender intet.
previewer-back = Skift indstillingerne
previewer-unknown-client = Der er ingen tjeneste registreret med dette klient-id.
previewer-need-client = Indtast et klient-id, eller indsæt klientmetadata.
previewer-invalid-metadata = Disse klientmetadata er ikke gyldige.

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = Min konto
account-nav = Konto
account-phones = Telefonnumre
account-emails = E-mailadresser
account-none = Ingen endnu
account-unverified = Ikke bekræftet
account-remove = Fjern
account-remove-label = Fjern { $identifier }
account-add-phone = Tilføj et telefonnummer
account-add-email = Tilføj en e-mailadresse
account-add-text = Vi sender dig en bekræftelseskode.
account-password = Adgangskode
account-password-change = Skift adgangskode
account-password-set = Vælg en adgangskode
account-password-none = Du logger kun ind med koder.
account-services = Forbundne tjenester
account-services-text = Tjenester, du har logget ind på med CONNECT ID. Hvis du afbryder forbindelsen til en tjeneste, bliver du logget ud af den og skal logge ind igen.
account-services-none = Ingen tjenester er forbundet med din konto.
account-services-manage = Se og afbryd forbindelsen til dine tjenester
account-disconnect = Afbryd forbindelsen
account-disconnect-label = Afbryd forbindelsen til { $service }
account-signout-everywhere = Log ud på alle enheder
account-signout-everywhere-text = Afslutter dine sessioner på alle enheder og i alle tjenester, også denne.
account-delete = Slet konto
account-delete-text = Din konto og dens telefonnumre og e-mailadresser bliver slettet, og du bliver logget ud af alle tjenester. Det kan ikke fortrydes.
account-delete-confirm = Slet min konto
account-deleted-title = Din konto er slettet
account-deleted-text = Din CONNECT ID-konto og alt, hvad der var gemt i den, er slettet.
account-back = Tilbage til { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = Vil du fjerne { $identifier }?
account-remove-text = Du kan ikke længere logge ind med { $identifier }, og vi sender ikke flere koder dertil.
account-remove-confirm = Fjern
account-reauth-reason = For at ændre din konto skal du først bekræfte, at det er dig.
button-cancel = Annuller
button-save = Gem
button-add = Tilføj
notice-password-changed = Din adgangskode er ændret. Du er blevet logget ud på dine andre enheder.
notice-identifier-added = { $identifier } er tilføjet til din konto.
notice-identifier-removed = { $identifier } er fjernet fra din konto.
notice-service-disconnected = Forbindelsen til { $service } er afbrudt.
err-last-identifier = Du kan ikke fjerne dit sidste telefonnummer eller din sidste e-mailadresse.
err-identifier-taken = Dette telefonnummer eller denne e-mailadresse hører til en anden konto.
err-identifier-known = Dette telefonnummer eller denne e-mailadresse er allerede tilføjet til din konto.
identifier-added-subject = Et nyt telefonnummer eller en ny e-mail er tilføjet til din CONNECT ID-konto
identifier-added-body = { $identifier } er tilføjet til din CONNECT ID-konto. Hvis det ikke var dig, skal du logge ind, fjerne det igen og skifte din adgangskode.

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = Fortsæt som { $identifier }?
preauth-text = { $service } åbner en side for dig, hvor du er logget ind med dit CONNECT ID. Fortsæt kun, hvis du selv har åbnet den fra appen.
error-link-used = Linket er udløbet eller allerede brugt. Gå tilbage til appen, og prøv igen.

## The start page (/): data-step="home"
home-text = Tjenester sender dig hertil, når du skal logge ind med dit CONNECT ID. Du kan også administrere din konto her.
home-demo = Prøv demotjenesterne
home-discovery = OpenID Connect Discovery (for udviklere)
