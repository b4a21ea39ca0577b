/* SPDX-License-Identifier: MIT */
/* gdbserver_target.c: the program test/gdbserver.sh has GDB's gdbserver
 * run, for an x86_64-w64-mingw32-gdb client to stop at a breakpoint in
 * target_answer() and read the registers of. No Check: the script judges
 * by what gdb prints. */
#include <stdio.h>

/* Kept a real call (not inlined, not specialised) so that the breakpoint
 * has a place to stop. */
__attribute__((noinline, noipa)) static int target_answer(int question)
{
    return question * 6;
}

int main(void)
{
    printf("target_answer: %d\n", target_answer(7));
    return 0;
}
