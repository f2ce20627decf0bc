package io.agentvine.model;

import java.util.regex.Pattern;

/**
 * Branch names as {@code git check-ref-format --branch} accepts them, within a safe alphabet: a name
 * this class accepts git accepts too, and it can never be read as a command-line option. Each refusal
 * says which rule the name breaks.
 */
public final class BranchNames {
    public static final int MAX_LENGTH = 200;
    private static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9._/+-]*");

    private BranchNames() {
    }

    /** Null (the remote's default branch) or a valid branch name; anything else is refused naming {@code field}. */
    public static String check(String branch, String field) {
        if (branch == null) {
            return null;
        }
        String problem = problem(branch);
        if (problem != null) {
            throw new InvalidMessageException(field, "'" + printable(branch) + "' is not a valid branch name: " + problem);
        }
        return branch;
    }

    /** Why git (or this stricter rule) refuses the name, or null when it is a valid branch name. */
    static String problem(String b) {
        if (b.isEmpty()) {
            return "it is empty (leave the field out for the repository's default branch)";
        }
        if (b.length() > MAX_LENGTH) {
            return "it is " + b.length() + " characters long; the limit is " + MAX_LENGTH;
        }
        if (b.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return "it contains white space or a control character";
        }
        if (!ALPHABET.matcher(b).matches()) {
            return "only A-Z a-z 0-9 . _ / + - are allowed (git also refuses ~ ^ : ? * [ \\ and @{)";
        }
        if (b.startsWith("-")) {
            return "it starts with '-' and would be read as an option";
        }
        if (b.equals("HEAD")) {
            return "HEAD names the current commit, not a branch";
        }
        if (b.contains("..")) {
            return "it contains '..'";
        }
        if (b.startsWith("/") || b.endsWith("/") || b.contains("//")) {
            return "it starts or ends with '/' or contains '//'";
        }
        if (b.endsWith(".")) {
            return "it ends with '.'";
        }
        for (String component : b.split("/")) {
            if (component.startsWith(".")) {
                return "a part starts with '.'";
            }
            if (component.endsWith(".lock")) {
                return "a part ends with '.lock'";
            }
        }
        return null;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(MAX_LENGTH).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > MAX_LENGTH ? out + "…" : out.toString();
    }
}
