// Browser test: in Debian's Chromium, an inkoper logs in for the first time, replaces the one-time
// password, creates a tender through the forms, adds a scale, a perceel and a geschiktheidseis,
// and publishes it. Then an aanbieder registers, confirms the address from the mail, bids on the
// published tender — downloads the prijzenblad, fills it in, uploads it and confirms the prices
// read back — with a document, submits, sees the receipt and asks a question, which the inkoper
// answers in a nota van inlichtingen. The inkoper then moves the sluitingstermijn to the next
// minutes by a correction and, once it has passed, opens the vault with a second inkoper; two
// beoordelaars declare and score, the inkoper reaches consensus, makes it final and reads the
// ranking with the price; management approves the proposed award, the letters go out, the
// bidder reads its letter and management downloads the award report. After the standstill the
// award becomes definitive, the contract active with its places; a klantmanager of Hoorn
// records placements, overruling the full contract once, and management reads the capacity
// dashboard, downloads it as Excel and enters a taakstelling. Every page visited is checked
// with axe-core for WCAG 2.1 AA. Each test builds on what the one before it left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import ExcelJS from 'exceljs';

const BIN = process.env.AANBESTEDING_BIN ?? join(process.cwd(), '..', '..', 'target', 'debug', 'aanbesteding');
const dataDir = mkdtempSync(join(tmpdir(), 'aanbesteding-browser-'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: join(dataDir, 'browser.db'), BIND_ADDRESS: '127.0.0.1:0', RUST_LOG: 'warn' };
let server;
let base;
let browser;
let awardUrl;
const visited = [];

/** Adds an account with the CLI; returns its one-time password. */
function addUser(role, email, name, ...extra) {
  const added = execFileSync(BIN, ['user', 'add', '--role', role, '--email', email, '--name', name, ...extra], { env }).toString();
  return /eenmalig wachtwoord: (\S+)/.exec(added)[1];
}

before(async () => {
  env.ONE_TIME = addUser('inkoper', 'inkoper@hoorn.example', 'Iris Inkoop');
  env.ONE_TIME_2 = addUser('inkoper', 'inkoper@enkhuizen.example', 'Eddy Enkhuizen');
  env.ONE_TIME_B1 = addUser('beoordelaar', 'bram@hoorn.example', 'Bram Beoordeel');
  env.ONE_TIME_B2 = addUser('beoordelaar', 'sanne@drechterland.example', 'Sanne Schaal');
  env.ONE_TIME_M = addUser('management', 'manager@westfriesland.example', 'Mirjam Management');
  env.ONE_TIME_K = addUser('klantmanager', 'klant@hoorn.example', 'Karim Klant', '--gemeente', 'GM0405');
  server = spawn(BIN, ['serve'], { env });
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /luistert op (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`server stopped (${code}): ${out}`)));
    setTimeout(() => reject(new Error('server did not start')), 20000);
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Fails on any WCAG 2.1 A/AA violation of the current page, whatever its impact. */
async function accessible(page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations;
  visited.push(new URL(page.url()).pathname);
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`), [], `axe on ${page.url()}`);
}

/** Logs in with a one-time password and replaces it, as every new account does first. */
async function firstLogin(page, email, oneTime) {
  await page.goto(base + '/inloggen');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(oneTime);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/wachtwoord');
  await page.getByLabel('Huidig wachtwoord').fill(oneTime);
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een-eigen-sterk-wachtwoord');
  await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('een-eigen-sterk-wachtwoord');
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await page.getByText('Uw wachtwoord is gewijzigd').waitFor();
}

async function login(page, email) {
  await page.goto(base + '/inloggen');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill('een-eigen-sterk-wachtwoord');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByText('Welkom').waitFor();
}

/** Dutch local time `YYYY-MM-DDTHH:MM` of an instant, as the deadline fields take it. */
function amsterdam(ms) {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .format(new Date(ms)).replace(' ', 'T');
}

function localNoon(days) {
  const d = new Date(Date.now() + days * 86400000);
  return `${d.toISOString().slice(0, 10)}T12:00`;
}

test('an inkoper creates and publishes a tender through the forms', async () => {
  // axe injects its script; the service's Content-Security-Policy would rightly refuse it.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(base + '/');
  await accessible(page);
  await page.getByRole('link', { name: 'Inloggen' }).first().click();
  await accessible(page);
  await page.getByLabel('E-mailadres').fill('inkoper@hoorn.example');
  await page.getByLabel('Wachtwoord').fill(env.ONE_TIME);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/wachtwoord');
  await accessible(page);
  await page.getByLabel('Huidig wachtwoord').fill(env.ONE_TIME);
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een-eigen-sterk-wachtwoord');
  await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('een-eigen-sterk-wachtwoord');
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await page.getByText('Uw wachtwoord is gewijzigd').waitFor();

  await page.goto(base + '/aanbestedingen');
  await accessible(page);
  await page.getByRole('link', { name: 'Nieuwe aanbesteding' }).first().click();
  await accessible(page);
  // First an incomplete form: the errors must be accessible too.
  await page.getByRole('button', { name: 'Aanmaken als concept' }).click();
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  await accessible(page);
  await page.getByLabel('Titel').fill('Leerroutes inburgering Hoorn');
  await page.getByLabel('Kenmerk').fill('HRN-2027-01');
  await page.getByLabel('Omschrijving van de opdracht').fill('B1-route voor Hoorn en Enkhuizen.');
  await page.getByLabel('Hoorn').check();
  await page.getByLabel('Enkhuizen').check();
  await page.getByLabel('Penvoerder').selectOption('GM0405');
  await page.getByLabel('Vragen stellen tot').fill(localNoon(14));
  await page.getByLabel('Inschrijven tot (sluitingstermijn)').fill(localNoon(35));
  await page.getByRole('button', { name: 'Aanmaken als concept' }).click();
  await page.getByText('is aangemaakt als concept').waitFor();
  await accessible(page);
  const tenderUrl = page.url().split('#')[0];

  await page.getByRole('link', { name: 'Schaal toevoegen' }).click();
  await accessible(page);
  await page.getByLabel('Naam van de schaal').fill('Kwaliteit 0-10');
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.getByText('De schaal is toegevoegd.').waitFor();

  await page.getByRole('link', { name: 'Perceel toevoegen' }).click();
  await accessible(page);
  await page.getByLabel('Titel', { exact: true }).fill('B1-route');
  await page.getByLabel('Leerroute of module').selectOption('b1-route');
  await page.getByLabel('Plafondprijs per traject in euro, exclusief btw').fill('14.500,00');
  await page.getByLabel('Onderbouwing van de plafondprijs (kostprijs)').fill('600 lesuren à € 19,50 plus KNM, PVT en materiaal.');
  await page.getByLabel('Gewicht van prijs (%)').fill('30');
  await page.getByLabel('Prijsregels').fill('Taallessen B1; lesuur; 600\nKennis Nederlandse Maatschappij; module; 1');
  await page.getByLabel('Titel van criterium 1').fill('Samenwerking met lokale maatschappelijke organisaties');
  await page.getByLabel('Gewicht van criterium 1 (%)').fill('40');
  await page.getByLabel('Beoordelingsschaal van criterium 1').selectOption('Kwaliteit 0-10');
  await page.getByLabel('Titel van criterium 2').fill('Geen dubbel aanbod en geen onderlinge concurrentie');
  await page.getByLabel('Gewicht van criterium 2 (%)').fill('30');
  await page.getByLabel('Beoordelingsschaal van criterium 2').selectOption('Kwaliteit 0-10');
  await page.getByLabel('Hoorn').fill('30');
  await page.getByLabel('Enkhuizen').fill('8');
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.waitForURL(tenderUrl + '#percelen');
  await accessible(page);

  await page.getByRole('link', { name: 'Geschiktheidseis toevoegen' }).click();
  await accessible(page);
  await page.getByLabel('Eis').fill('Gedragsverklaring Aanbesteden');
  await page.getByLabel('Gevraagd bewijs').fill('GVA van Justis');
  await page.getByLabel('Geldigheid van het bewijs').selectOption('max_age_at_deadline');
  await page.getByLabel("Maanden (bij 'niet ouder dan')").fill('24');
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.getByText('De geschiktheidseis is toegevoegd.').waitFor();

  await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
  await page.getByText('De aanbesteding is compleet.').waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Publiceren' }).click();
  await page.getByText('De aanbesteding is gepubliceerd').waitFor();
  await accessible(page);

  await page.getByRole('link', { name: 'Logboek' }).click();
  await page.getByText('De hashketen van dit logboek is gecontroleerd en in orde').waitFor();
  await accessible(page);

  // Anyone can now read it, without logging in.
  const visitor = await (await browser.newContext({ bypassCSP: true })).newPage();
  await visitor.goto(base + '/');
  await visitor.getByRole('link', { name: 'Leerroutes inburgering Hoorn' }).click();
  await visitor.getByText('€ 14.500,00').waitFor();
  await accessible(visitor);
});

/** The link in the newest mail that contains `marker`, from the mail folder (quoted-printable decoded). */
function linkFromMail(marker) {
  const dir = join(dataDir, 'mail');
  const mails = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1'));
  const decoded = mails.map((m) => m.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
  const mail = decoded.reverse().find((m) => m.includes(marker));
  assert.ok(mail, `a mail with ${marker}`);
  return new RegExp(`https?://\\S*${marker.replace(/[?]/g, '\\?')}[A-Za-z0-9._-]+`).exec(mail)[0];
}

test('an aanbieder registers, bids with a prijzenblad and a document, and sees the receipt', async () => {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(base + '/');
  await page.getByRole('link', { name: 'Registreren' }).click();
  await accessible(page);
  await page.getByLabel('Naam van het bedrijf').fill('Taalhuis Hoorn BV');
  await page.getByLabel('KvK-nummer').fill('1234 5678');
  await page.getByLabel('Straat en huisnummer').fill('Grote Noord 12');
  await page.getByLabel('Postcode').fill('1621kd');
  await page.getByLabel('Plaats').fill('Hoorn');
  await page.getByLabel('Naam', { exact: true }).fill('Fatima el Amrani');
  await page.getByLabel('Telefoonnummer').fill('0229 123 456');
  await page.getByLabel('E-mailadres').fill('fatima@taalhuis.example');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('een-sterk-wachtwoord-1');
  await page.getByLabel('Herhaal het wachtwoord').fill('een-sterk-wachtwoord-1');
  await page.getByRole('button', { name: 'Registreren' }).click();
  await page.getByRole('heading', { name: 'Controleer uw e-mail' }).waitFor();
  await accessible(page);
  const link = linkFromMail('/registreren/bevestigen?token=');
  await page.goto(base + new URL(link).pathname + new URL(link).search);
  await page.getByText('is bevestigd').waitFor();
  await accessible(page);
  await page.getByRole('link', { name: 'Inloggen' }).first().click();
  await page.getByLabel('E-mailadres').fill('fatima@taalhuis.example');
  await page.getByLabel('Wachtwoord').fill('een-sterk-wachtwoord-1');
  await page.getByRole('button', { name: 'Inloggen' }).click();

  await page.goto(base + '/');
  await page.getByRole('link', { name: 'Leerroutes inburgering Hoorn' }).click();
  await accessible(page);
  await page.getByRole('button', { name: 'Inschrijven op Perceel 1: B1-route' }).click();
  await page.getByText('NIET INGEDIEND', { exact: true }).waitFor();
  await accessible(page);
  await page.getByLabel('Verklaring: op deze partij is geen uitsluitingsgrond van toepassing (partij 1)').check();
  await page.getByLabel('Bewijs voor Gedragsverklaring Aanbesteden').fill('GVA 2026-12345');
  await page.getByLabel('Datum van afgifte, Gedragsverklaring Aanbesteden').fill('2026-06-01');
  await page.getByLabel('Samenwerking met lokale maatschappelijke organisaties').fill('Wij werken samen met de bibliotheek en het buurthuis.');
  await page.getByLabel('Geen dubbel aanbod en geen onderlinge concurrentie').fill('Wij stemmen het aanbod maandelijks af.');
  await page.getByText('Concept automatisch opgeslagen').waitFor();

  // The prijzenblad: downloaded, filled in as a bidder does in a spreadsheet program, uploaded.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Prijzenblad downloaden (Excel)' }).click()]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheet = book.getWorksheet('B1-route');
  assert.equal(sheet.getCell('A7').value, 'Taallessen B1');
  sheet.getCell('D7').value = 19.5;
  sheet.getCell('D8').value = 450;
  const filled = Buffer.from(await book.xlsx.writeBuffer());
  await page.getByLabel('Ingevuld prijzenblad uploaden').setInputFiles({ name: 'prijzenblad.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: filled });
  await page.getByRole('button', { name: 'Prijzenblad uploaden', exact: true }).click();
  await page.getByText('Het prijzenblad is gelezen').waitFor();
  await page.getByText('€ 12.150,00').waitFor(); // 600 × € 19,50 + € 450,00, recomputed by the service
  await accessible(page);
  await page.getByRole('button', { name: 'Deze prijzen kloppen' }).click();
  await page.getByText('U hebt de prijzen bevestigd').waitFor();
  await page.getByLabel('Document toevoegen').setInputFiles({ name: 'plan-van-aanpak.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nPlan van aanpak\n%%EOF') });
  await page.getByRole('button', { name: 'Document uploaden', exact: true }).click();
  await page.getByText('Het document is toegevoegd').waitFor();
  await page.getByRole('link', { name: 'Controleren en indienen' }).click();
  await page.getByText('Uw inschrijving is compleet.').waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Definitief indienen' }).click();
  await page.getByText('Uw inschrijving is ingediend').waitFor();
  await page.getByRole('heading', { name: /Ontvangstbewijs HRN-2027-01-P1-/ }).waitFor();
  assert.equal(await page.getByText('NIET INGEDIEND', { exact: true }).count(), 0);
  await accessible(page);

  // A question from the tender page: first without text, so the errors are checked too.
  await page.goto(base + '/');
  await page.getByRole('link', { name: 'Leerroutes inburgering Hoorn' }).click();
  await page.getByRole('button', { name: 'Vraag stellen' }).click();
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  await accessible(page);
  await page.getByLabel('Uw vraag gaat over').selectOption({ label: 'Perceel 1: B1-route' });
  await page.getByLabel('Uw vraag', { exact: true }).fill('Valt de KNM-module binnen de plafondprijs?');
  await page.getByRole('button', { name: 'Vraag stellen' }).click();
  await page.getByText('Uw vraag is ontvangen').waitFor();
  await page.getByText('In behandeling').waitFor();
  await accessible(page);
});

test('an inkoper answers the question and publishes a nota van inlichtingen', async () => {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(base + '/inloggen');
  await page.getByLabel('E-mailadres').fill('inkoper@hoorn.example');
  await page.getByLabel('Wachtwoord').fill('een-eigen-sterk-wachtwoord');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByText('Welkom').waitFor();
  await page.goto(base + '/aanbestedingen');
  await page.getByRole('link', { name: 'Leerroutes inburgering Hoorn' }).click();
  await page.getByRole('link', { name: 'Vragen en nota van inlichtingen' }).click();
  await page.getByText('Valt de KNM-module binnen de plafondprijs?').waitFor();
  await accessible(page);
  await page.getByRole('button', { name: /^Antwoord opslaan/ }).click();
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  await accessible(page);
  await page.getByLabel(/^Antwoord/).fill('Ja, de KNM-module valt binnen de plafondprijs.');
  await page.getByRole('button', { name: /^Antwoord opslaan/ }).click();
  await page.getByText('Het antwoord is opgeslagen').waitFor();
  await page.getByRole('link', { name: 'Nota van inlichtingen publiceren' }).click();
  await page.getByRole('table', { name: 'Inhoud van nota van inlichtingen 1' }).waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Nota van inlichtingen 1 publiceren' }).click();
  await page.getByText('Nota van inlichtingen 1 is gepubliceerd').waitFor();
  await accessible(page);

  const visitor = await (await browser.newContext({ bypassCSP: true })).newPage();
  await visitor.goto(base + '/');
  await visitor.getByRole('link', { name: 'Leerroutes inburgering Hoorn' }).click();
  await visitor.getByText('Ja, de KNM-module valt binnen de plafondprijs.').waitFor();
  assert.equal(await visitor.getByText('Taalhuis Hoorn').count(), 0, 'the nota names nobody');
  await accessible(visitor);
});

test('after the deadline two inkopers open the vault, two beoordelaars score, the inkoper reaches consensus and the ranking shows the prices', async () => {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await login(page, 'inkoper@hoorn.example');
  await page.goto(base + '/aanbestedingen');
  await page.getByRole('link', { name: 'Leerroutes inburgering Hoorn' }).click();
  const tenderUrl = page.url().split('#')[0];
  // The sluitingstermijn moves to the next minutes by a correction, so the test need not wait weeks.
  const questions = Math.ceil((Date.now() + 5000) / 60000) * 60000;
  const deadline = questions + 60000;
  await page.getByRole('link', { name: 'Correctie algemene gegevens' }).click();
  await page.getByLabel('Vragen stellen tot').fill(amsterdam(questions));
  await page.getByLabel('Inschrijven tot (sluitingstermijn)').fill(amsterdam(deadline));
  await page.getByLabel('Reden van de correctie').fill('De sluitingstermijn wordt vervroegd op verzoek van de regio.');
  await page.getByRole('button', { name: 'Correctie vastleggen' }).click();
  await page.waitForURL(tenderUrl);
  await accessible(page);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline + 1500 - Date.now())));

  await page.getByRole('link', { name: 'Inschrijvingen en opening' }).click();
  await page.getByRole('button', { name: 'Opening bevestigen' }).click();
  await page.getByText('Een tweede, andere inkoper moet binnen tien minuten bevestigen').waitFor();
  await accessible(page);
  const second = await (await browser.newContext({ bypassCSP: true })).newPage();
  await firstLogin(second, 'inkoper@enkhuizen.example', env.ONE_TIME_2);
  await second.goto(page.url());
  await second.getByRole('button', { name: 'Opening bevestigen' }).click();
  await second.getByRole('heading', { name: 'Proces-verbaal van opening' }).waitFor();
  await second.getByText('Taalhuis Hoorn BV').first().waitFor();
  await accessible(second);

  await page.goto(tenderUrl);
  await page.getByRole('link', { name: 'Beoordeling' }).click();
  await accessible(page);
  await page.getByRole('link', { name: 'Commissie Perceel 1: B1-route' }).click();
  await accessible(page);
  await page.getByLabel(/Bram Beoordeel/).check();
  await page.getByLabel(/Sanne Schaal/).check();
  await page.getByRole('button', { name: 'Commissie vastleggen' }).click();
  await page.getByText('De beoordelingscommissie is vastgelegd.').waitFor();
  await page.getByRole('link', { name: 'Geschiktheid Perceel 1: B1-route' }).click();
  await accessible(page);
  await page.getByRole('link', { name: /Beoordelen/ }).first().click();
  for (const pass of await page.getByLabel('Voldoet', { exact: true }).all()) await pass.check();
  await page.getByRole('button', { name: 'Oordeel vastleggen' }).click();
  await page.getByText('toegelaten').first().waitFor();
  await accessible(page);

  for (const [email, oneTime, points] of [['bram@hoorn.example', env.ONE_TIME_B1, ['8', '6']], ['sanne@drechterland.example', env.ONE_TIME_B2, ['6', '6']]]) {
    const assessor = await (await browser.newContext({ bypassCSP: true })).newPage();
    await firstLogin(assessor, email, oneTime);
    await assessor.goto(base + '/beoordelen');
    await accessible(assessor);
    await assessor.getByRole('link', { name: 'Verklaring over belangen, Perceel 1: B1-route' }).click();
    await accessible(assessor);
    await assessor.getByLabel('Geen belang').check();
    await assessor.getByRole('button', { name: 'Verklaring afleggen' }).click();
    await assessor.getByRole('link', { name: 'Taalhuis Hoorn BV' }).click();
    await assessor.getByText('Wij werken samen met de bibliotheek en het buurthuis.').waitFor();
    assert.equal(await assessor.getByText('€').count(), 0, 'no prices for assessors');
    await accessible(assessor);
    const criteria = ['Samenwerking met lokale maatschappelijke organisaties', 'Geen dubbel aanbod en geen onderlinge concurrentie'];
    for (const [i, title] of criteria.entries()) {
      await assessor.getByRole('group', { name: `Score, ${title}` }).getByLabel(new RegExp(`^${points[i]} `)).check();
      await assessor.getByLabel(`Motivering, ${title}`).fill(`Concreet en onderbouwd: ${points[i]} punten.`);
    }
    await assessor.getByRole('button', { name: 'Opslaan en vastleggen…' }).click();
    await accessible(assessor);
    await assessor.getByRole('button', { name: 'Definitief vastleggen' }).click();
    await assessor.getByText('Uw scores zijn vastgelegd').waitFor();
    await accessible(assessor);
  }

  await page.goto(tenderUrl);
  await page.getByRole('link', { name: 'Beoordeling' }).click();
  await page.getByRole('link', { name: 'Consensus Perceel 1: B1-route' }).click();
  await accessible(page);
  await page.getByRole('link', { name: /Consensus vastleggen/ }).click();
  await page.getByText('Concreet en onderbouwd: 8 punten.').waitFor();
  await accessible(page);
  for (const [title, points] of [['Samenwerking met lokale maatschappelijke organisaties', '8'], ['Geen dubbel aanbod en geen onderlinge concurrentie', '6']]) {
    await page.getByRole('group', { name: `Consensusscore, ${title}` }).getByLabel(new RegExp(`^${points} `)).check();
    await page.getByLabel(`Interne motivering, ${title}`).fill('Besproken in de commissie; de hogere score is overtuigend.');
    await page.getByLabel(`Externe motivering, ${title}`).fill('Het plan verbindt de lessen met de bibliotheek en het buurthuis in Hoorn.');
  }
  await page.getByRole('button', { name: 'Consensus vastleggen' }).click();
  await page.getByText('De consensus van deze inschrijving is vastgelegd.').waitFor();
  await page.getByRole('link', { name: 'Consensus definitief maken en prijzen tonen…' }).click();
  await accessible(page);
  await page.getByRole('button', { name: 'Definitief maken en prijzen tonen' }).click();
  await page.getByRole('table', { name: 'Rangorde Perceel 1: B1-route' }).waitFor();
  await page.getByText('€ 12.150,00').waitFor();
  // Quality 40 × 8/10 + 30 × 6/10 = 50 points, and the only price gets all 30 price points.
  await page.getByText('80,00', { exact: true }).waitFor();
  await accessible(page);
});

test('the inkoper proposes the award, management approves, the letters go, the bidder reads its letter and management downloads the report', async () => {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await login(page, 'inkoper@hoorn.example');
  await page.goto(base + '/aanbestedingen');
  await page.getByRole('link', { name: 'Leerroutes inburgering Hoorn' }).click();
  await page.getByRole('link', { name: 'Beoordeling' }).click();
  await page.getByRole('link', { name: 'Gunning Perceel 1: B1-route' }).click();
  await page.getByText('Er is voor dit perceel nog geen voornemen tot gunning.').waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Voornemen voorstellen' }).click();
  await page.getByText('Het voornemen is voorgesteld').waitFor();
  await accessible(page);
  awardUrl = page.url();

  const manager = await (await browser.newContext({ bypassCSP: true })).newPage();
  await firstLogin(manager, 'manager@westfriesland.example', env.ONE_TIME_M);
  await manager.goto(awardUrl);
  await manager.getByRole('button', { name: /goedkeuren/ }).click();
  await manager.getByText('Het voornemen is goedgekeurd.').waitFor();
  await accessible(manager);

  await page.goto(awardUrl);
  await page.getByRole('button', { name: 'Alle brieven nu verzenden' }).click();
  await page.getByText('De brieven zijn verzonden').waitFor();
  await page.getByText('Laatste dag voor bezwaar').waitFor();
  await accessible(page);

  const bidder = await (await browser.newContext({ bypassCSP: true })).newPage();
  await bidder.goto(base + '/inloggen');
  await bidder.getByLabel('E-mailadres').fill('fatima@taalhuis.example');
  await bidder.getByLabel('Wachtwoord').fill('een-sterk-wachtwoord-1');
  await bidder.getByRole('button', { name: 'Inloggen' }).click();
  await bidder.getByRole('link', { name: 'Mijn brieven' }).click();
  await accessible(bidder);
  await bidder.getByRole('link', { name: /Voornemen tot gunning/ }).click();
  await bidder.getByText(/te gunnen aan: Taalhuis Hoorn BV/).waitFor();
  await bidder.getByText(/Het plan verbindt de lessen met de bibliotheek/).waitFor();
  await accessible(bidder);

  await manager.goto(awardUrl);
  const [download] = await Promise.all([
    manager.waitForEvent('download'),
    manager.getByRole('link', { name: 'Gunningsrapportage downloaden (Excel)' }).click(),
  ]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  assert.deepEqual(book.worksheets.map((w) => w.name), ['Samenvatting', 'Rangorde', 'Scores', 'Prijzen', 'Geschiktheid', 'Tijdlijn', 'Logboek']);
  assert.equal(book.getWorksheet('Rangorde').getCell('C4').value, 'Taalhuis Hoorn BV');
  assert.equal(book.getWorksheet('Rangorde').getCell('F4').value, 80);
});

/** Today in the Netherlands, as a date field takes it. */
function today() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date());
}

test('after the standstill the contract starts with its places, a klantmanager places and management reads the capacity', async () => {
  // The Alcatel-termijn runs in calendar days. As the API tests move the service's clock, this
  // test moves the letters' sending moment 30 days back in the database.
  execFileSync('python3', ['-c', [
    'import sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1], timeout=10)',
    "c.execute(\"UPDATE award_decisions SET sent_at = datetime(sent_at, '-30 days') WHERE sent_at IS NOT NULL\")",
    'c.commit()',
  ].join('\n'), env.DATABASE_URL]);
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await login(page, 'inkoper@hoorn.example');
  await page.goto(awardUrl);
  await page.getByLabel('Ingangsdatum van de raamovereenkomst').fill(today());
  await page.getByLabel('Looptijd in jaren').fill('4');
  await page.getByLabel('Verlengingsopties in jaren').fill('2 + 2');
  await page.getByRole('button', { name: 'Definitief gunnen' }).click();
  await page.getByText('Definitief gegund: alle inschrijvers').waitFor();
  await page.getByRole('button', { name: /Activeren/ }).click();
  await page.getByText('Het contract is actief.').waitFor();
  await accessible(page);
  await page.getByRole('link', { name: 'Taalhuis Hoorn BV' }).first().click();
  await page.getByLabel('Jaar', { exact: true }).fill(today().slice(0, 4));
  await page.getByLabel('Regionaal totaal (plaatsen)').fill('2');
  await page.getByLabel('Hoorn (plaatsen)').fill('1');
  await page.getByRole('button', { name: 'Capaciteit opslaan' }).click();
  await page.getByText('De capaciteit is opgeslagen.').waitFor();
  await page.getByText('Besluit uiterlijk').first().waitFor();
  await accessible(page);

  const klant = await (await browser.newContext({ bypassCSP: true })).newPage();
  await firstLogin(klant, 'klant@hoorn.example', env.ONE_TIME_K);
  await klant.getByRole('link', { name: 'Plaatsingen' }).click();
  await klant.getByText('0 plaatsingen').waitFor();
  await accessible(klant);
  const placeOne = async (reference) => {
    await klant.getByLabel('Contract (aanbieder en leerroute)').selectOption({ label: 'Taalhuis Hoorn BV (b1-route)' });
    await klant.getByLabel('Startdatum').fill(today());
    await klant.getByLabel('Intern kenmerk').fill(reference);
  };
  await placeOne('HRN-2026-001');
  await klant.getByRole('button', { name: 'Plaatsen', exact: true }).click();
  await klant.getByText('HRN-2026-001 is geplaatst bij Taalhuis Hoorn BV.').waitFor();
  await placeOne('HRN-2026-002');
  await klant.getByRole('button', { name: 'Plaatsen', exact: true }).click();
  await klant.getByText('1 van 1 plaatsen zijn bezet').first().waitFor();
  await accessible(klant);
  await klant.getByLabel('Reden om toch te plaatsen').fill('Broer volgt dezelfde les; wachtlijst elders 12 weken');
  await klant.getByRole('button', { name: 'Toch plaatsen' }).click();
  await klant.getByText('op een vol contract').waitFor();
  await klant.getByText('boven capaciteit').waitFor();
  await accessible(klant);
  // Moving with nothing ticked and no contract chosen names both, and stays accessible.
  await klant.getByRole('button', { name: 'Aangevinkte plaatsingen verplaatsen' }).click();
  await klant.getByText('Kies de plaatsingen die verhuizen.').first().waitFor();
  await klant.getByText('Kies het contract waar de cursisten heen gaan.').first().waitFor();
  await accessible(klant);
  await klant.getByRole('link', { name: 'Capaciteit', exact: true }).click();
  await klant.getByRole('heading', { name: 'Capaciteit Hoorn' }).waitFor();
  await accessible(klant);

  const manager = await (await browser.newContext({ bypassCSP: true, acceptDownloads: true })).newPage();
  await login(manager, 'manager@westfriesland.example');
  await manager.getByRole('link', { name: 'Capaciteit', exact: true }).click();
  await accessible(manager);
  await manager.getByRole('link', { name: 'Regio Westfriesland' }).click();
  await manager.getByRole('img', { name: 'B1-route: trajecten per halfjaar' }).waitFor();
  await accessible(manager);
  const [download] = await Promise.all([
    manager.waitForEvent('download'),
    manager.getByRole('link', { name: 'Download als Excel (met grafiek)' }).click(),
  ]);
  const file = await download.path();
  assert.ok(readFileSync(file).includes('xl/charts/chart1.xml'), 'the workbook holds a native chart');
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  assert.deepEqual(book.worksheets.map((w) => w.name), ['Overzicht', 'Contracten', 'Verdeling']);
  const row = book.getWorksheet('Contracten').getRow(2).values.slice(1);
  assert.deepEqual(row.slice(1, 6), ['Taalhuis Hoorn BV', 'b1-route', Number(today().slice(0, 4)), 2, 2]);

  await manager.getByRole('link', { name: 'Taakstelling invoeren of importeren' }).click();
  await accessible(manager);
  const half = Number(today().slice(5, 7)) <= 6 ? 'H1' : 'H2';
  await manager.getByLabel(`Hoorn ${today().slice(0, 4)}-${half}`).fill('47');
  await manager.getByRole('button', { name: 'Taakstelling opslaan' }).click();
  await manager.getByText('De taakstelling is opgeslagen').waitFor();
  await manager.getByText('tekort').first().waitFor();
  await accessible(manager);
  // A file that is no spreadsheet is refused beside the upload field; the saved 47 stays.
  await manager.goto(base + '/capaciteit/regio/westfriesland/taakstelling');
  await manager.getByLabel('Rekenblad met de taakstelling').setInputFiles({
    name: 'taakstelling.txt', mimeType: 'text/plain', buffer: Buffer.from('Hoorn;47\n'),
  });
  await manager.getByRole('button', { name: 'Importeren' }).click();
  await manager.locator('#file-fout').waitFor();
  assert.equal(await manager.getByLabel(`Hoorn ${today().slice(0, 4)}-${half}`).inputValue(), '47');
  await accessible(manager);
  console.log(`axe-core: no violations on ${visited.length} pages: ${[...new Set(visited)].join(' ')}`);
});
