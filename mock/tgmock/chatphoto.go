package tgmock

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"sync"
)

// Sizes of a chat photo, as Telegram serves them: a 160×160 small and a
// 640×640 big JPEG.
const (
	chatPhotoSmall = 160
	chatPhotoBig   = 640
)

// chatPhotoJPEGs returns the JPEG bytes of the synthetic chat photo, small
// and big. They are encoded once per process, on first use (so starting an
// emulator costs nothing), deterministically, and never modified.
var chatPhotoJPEGs = sync.OnceValues(func() ([]byte, []byte) {
	return encodeChatPhoto(chatPhotoSmall), encodeChatPhoto(chatPhotoBig)
})

// encodeChatPhoto draws a size×size emblem (a light disc on a diagonal
// blue gradient) and encodes it as JPEG.
func encodeChatPhoto(size int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	r2 := (size * 3 / 8) * (size * 3 / 8)
	for y := range size {
		for x := range size {
			dx, dy := x-size/2, y-size/2
			c := color.RGBA{R: uint8(20 + 60*(x+y)/(2*size)), G: uint8(60 + 80*(x+y)/(2*size)), B: 180, A: 255}
			if dx*dx+dy*dy <= r2 {
				c = color.RGBA{R: 235, G: 240, B: 250, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		panic("tgmock: encoding the chat photo: " + err.Error()) // cannot fail on a bytes.Buffer
	}
	return buf.Bytes()
}
