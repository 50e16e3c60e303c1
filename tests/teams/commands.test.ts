/**
 * Contract between the Teams command menu and the interview: choosing a command in Teams sends
 * its title as the message text, so every title, in English and in Finnish, must be a command
 * the interview recognises, and both languages' entry i must be the same command.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { recogniseCommand } from '../../src/interview/commands.js';

const appPackage = new URL('../../appPackage/', import.meta.url);

interface MenuCommand {
  title: string;
  description: string;
}

async function menus(): Promise<{ en: MenuCommand[]; fi: MenuCommand[] }> {
  const manifest = JSON.parse(await readFile(new URL('manifest.json', appPackage), 'utf8')) as {
    bots: { commandLists: { commands: MenuCommand[] }[] }[];
  };
  const strings = JSON.parse(await readFile(new URL('fi.json', appPackage), 'utf8')) as Record<string, string>;
  const en = manifest.bots[0].commandLists[0].commands;
  const fi = en.map((_, i) => ({
    title: strings[`bots[0].commandLists[0].commands[${i}].title`],
    description: strings[`bots[0].commandLists[0].commands[${i}].description`],
  }));
  return { en, fi };
}

describe('Teams command menu', () => {
  it('has a Finnish title and description for every command', async () => {
    const { en, fi } = await menus();
    expect(en.length).toBeGreaterThan(0);
    for (const command of fi) {
      expect(command.title).toMatch(/\S/);
      expect(command.description).toMatch(/\S/);
    }
  });

  it('sends only titles the interview recognises, the same command in both languages', async () => {
    const { en, fi } = await menus();
    en.forEach((command, i) => {
      const english = recogniseCommand(command.title);
      const finnish = recogniseCommand(fi[i].title);
      expect(english, `"${command.title}" is not an interview command`).toBeDefined();
      expect(finnish, `"${fi[i].title}" is not an interview command`).toBeDefined();
      expect(finnish?.kind).toBe(english?.kind);
    });
  });

  it('offers each command once', async () => {
    const { en } = await menus();
    const kinds = en.map((command) => JSON.stringify(recogniseCommand(command.title)));
    expect(new Set(kinds).size).toBe(kinds.length);
  });
});
