/* The demo's mode 12h picture (guest/demo/picture.c). */
#ifndef GUEST_DEMO_PICTURE_H
#define GUEST_DEMO_PICTURE_H

/* Switches the VGA to mode 12h through its registers and draws the picture. */
void demo_picture(void);

#endif
